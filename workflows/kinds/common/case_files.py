"""Adding and reading a case's files, each verb in its own transaction (see `attachments`
for the checks an untrusted upload goes through)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.errors import CaseError, InvalidInput
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case
from workflows.core.store import Store
from workflows.engine.case_view import readable_case
from workflows.kinds.common.attachments import (
    CheckedFile,
    attachment_document,
    check_file,
    get_attachment,
    list_attachments,
    lock_case_for_upload,
    store_attachment,
)
from workflows.people.access import Actor


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    purpose: str = "proof"
    checked: CheckedFile | None = None  # sniffed and hashed already, outside any transaction

    def check(self) -> CheckedFile:
        return self.checked or check_file(self.data)


def checked_uploads(uploads: Sequence[Upload]) -> list[Upload]:
    """Every file sniffed before a case exists: a refused file refuses the filing, so nothing is
    filed without the material the applicant meant to send. Errors are keyed by purpose."""
    checked = [replace(upload, checked=upload.check()) for upload in uploads]
    errors: dict[str, str] = {}
    first: CaseError | None = None
    for upload in checked:
        error = upload.checked.error if upload.checked else None
        if error is not None:
            errors.setdefault(upload.purpose, f"“{upload.filename or '未命名文件'}”未被接受：{error.message}")
            first = first or error
    if first is not None:
        raise type(first)("有文件未被接受，申请尚未提交：" + "；".join(errors.values()), errors)
    return checked


def store_uploads(uploads: Sequence[Upload], actor: Actor, now: datetime) -> Callable[[Session, Case], None]:
    """What a filing's `Opening.with_case` runs: the checked files stored with the new case, in
    its transaction (all or nothing)."""
    def store(session: Session, case: Case) -> None:
        for upload in uploads:
            store_attachment(session, case, upload.check(), upload.filename, actor, now, upload.purpose)
    return store


def attach_file(store: Store, actor: Actor, case_id: int, upload: Upload, now: datetime) -> dict[str, Any]:
    """One file for a running case, under the case's row lock so it cannot close meanwhile
    (sniffed and hashed before that lock is taken)."""
    checked = upload.check()
    with store.write() as uow:
        case = lock_case_for_upload(uow.session, actor, case_id)
        attachment = store_attachment(uow.session, case, checked, upload.filename, actor, now, upload.purpose)
        uow.commit()
    return attachment_document(attachment)


def attach_files(store: Store, actor: Actor, case_id: int, uploads: list[Upload],
                 now: datetime) -> tuple[list[dict[str, Any]], list[str]]:
    """Store each file on its own merits: a refused file is named, the others are kept.

    Returns (stored, refusals), each refusal "file name：reason" in Chinese.
    """
    if not uploads:
        return [], []
    stored, refused = [], []
    checked = [upload.check() for upload in uploads]  # before the lock: sniffing and hashing take time
    with store.write() as uow:
        case = lock_case_for_upload(uow.session, actor, case_id)
        for upload, file in zip(uploads, checked):
            try:
                stored.append(attachment_document(store_attachment(
                    uow.session, case, file, upload.filename, actor, now, upload.purpose)))
            except CaseError as err:  # checked before anything is added: the others still count
                refused.append(f"{upload.filename or '（未命名文件）'}：{err.message}")
        uow.commit()
    return stored, refused


def add_files(store: Store, actor: Actor, case_id: int, uploads: Sequence[Upload],
              now: datetime) -> list[dict[str, Any]]:
    """More material for a running case (after filing, during 补正): all the files or none,
    each audited as `attachment_added` so the reviewer sees it on the timeline."""
    if not uploads:
        raise InvalidInput("请选择要上传的文件", {"files": "请选择文件"})
    checked = checked_uploads(uploads)
    with store.write() as uow:
        case = lock_case_for_upload(uow.session, actor, case_id)
        stored = [attachment_document(store_attachment(uow.session, case, upload.check(), upload.filename, actor,
                                                       now, upload.purpose)) for upload in checked]
        uow.commit()
    return stored


def case_files(store: Store, actor: Actor, case_id: int) -> list[dict[str, Any]]:
    """The files of a case the actor may read (else NotFound), oldest first, without bytes."""
    with store.read() as session:
        readable_case(session, actor, case_id)
        return [attachment_document(a) for a in list_attachments(session, case_id)]


def open_file(store: Store, actor: Actor, attachment_id: str) -> Attachment:
    """A file with its bytes, if the actor may read its case (one NotFound otherwise)."""
    with store.read() as session:
        return get_attachment(session, actor, attachment_id)
