"""Adding and reading a case's files, each verb in its own transaction (see `attachments`
for the checks an untrusted upload goes through)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflows.core.errors import CaseError
from workflows.core.models.attachments import Attachment
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


def case_files(store: Store, actor: Actor, case_id: int) -> list[dict[str, Any]]:
    """The files of a case the actor may read (else NotFound), oldest first, without bytes."""
    with store.read() as session:
        readable_case(session, actor, case_id)
        return [attachment_document(a) for a in list_attachments(session, case_id)]


def open_file(store: Store, actor: Actor, attachment_id: str) -> Attachment:
    """A file with its bytes, if the actor may read its case (one NotFound otherwise)."""
    with store.read() as session:
        return get_attachment(session, actor, attachment_id)
