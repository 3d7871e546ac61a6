"""Case attachments: evidence the parties upload (proof, certificates, credit reports).

Uploads are untrusted. The type comes from the bytes, never from the name or the client's
content type, and the bytes must really be that type (images decode, a PDF is complete).
The stored file name is for display only: a file is addressed by an unguessable token and
every read is checked against the case, so knowing a URL is never enough.
"""
from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from workflows.core.errors import CaseError, Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case, CaseEvent
from workflows.engine.case_view import iso, may_read_case
from workflows.people.access import Actor
from workflows.people.permissions import allows

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 80_000_000  # an A3 page scanned at 600 dpi is ~70 megapixels
MAX_NAME = 255
PURPOSES = {"proof": "证明材料", "training_certificate": "培训证明", "credit_report": "信用报告",
            "rectification": "整改材料", "other": "其他材料",
            # a binding request's proof (workflows/kinds/binding)
            "business_licence": "营业执照", "id_card": "身份证件", "authorisation": "授权委托书",
            "agent_id": "代理人身份证件"}
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
_PNG = b"\x89PNG\r\n\x1a\n"
_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


class TooLarge(CaseError):
    """An upload over the per-file limit (API.md: 413)."""

    code = "too_large"
    http_status = 413


# -- content ---------------------------------------------------------------------------

def sniff(data: bytes) -> str | None:
    """The real type of `data` if it is an intact PDF, JPEG or PNG; None for anything else."""
    kind = _magic(data)
    return kind if kind is not None and _intact(kind, data) else None


def _magic(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(_PNG):
        return "image/png"
    return None


def _intact(kind: str, data: bytes) -> bool:
    """A renamed or truncated file carries the right first bytes but not the rest."""
    if kind == "application/pdf":
        return b"%%EOF" in data[-1024:]
    if kind == "image/png":
        return data[8:16] == b"\x00\x00\x00\x0dIHDR" and _decodes(data, {"PNG"})
    return b"\xff\xd9" in data[-1024:] and _decodes(data, {"JPEG", "MPO"})


def _decodes(data: bytes, formats: set[str]) -> bool:
    """Let Pillow parse the image: PNG chunks are CRC-checked to IEND, JPEG scans are decoded
    at 1/8 scale (cheap, yet the whole entropy-coded stream is read)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if image.format not in formats or not 0 < width * height <= MAX_PIXELS:
                    return False
                if image.format == "PNG":
                    image.verify()
                else:
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many types for broken input; all mean "no"
        return False
    return True


def display_name(filename: str, content_type: str) -> str:
    """A name safe to show and to offer on download: no path, no control or bidi characters,
    no markup, an extension matching the real type; Chinese is kept."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _SPACES.sub(" ", _RESERVED.sub("_", name)).strip(" .")
    extensions = EXTENSIONS[content_type]
    stem, dot, suffix = name.rpartition(".")
    if not (dot and f".{suffix.lower()}" in extensions):
        stem, suffix = name, extensions[0][1:]
    stem = (stem or "附件")[:MAX_NAME - len(suffix) - 1]
    return f"{stem}.{suffix}"


@dataclass(frozen=True)
class CheckedFile:
    """An upload sniffed and hashed before any transaction (a 10 MB file takes tens of ms: never
    under the case's row lock or the SQLite write lock); `error` is kept for the caller to raise
    after the case's own checks, so the refusal is the one it always was."""

    data: bytes
    content_type: str | None
    sha256: str | None
    error: CaseError | None = None


def check_file(data: bytes) -> CheckedFile:
    """Outside the transaction: the sniffed type and the sha256, or the refusal to give later."""
    try:
        content_type = checked_content(data)
    except CaseError as err:
        return CheckedFile(data, None, None, err)
    return CheckedFile(data, content_type, hashlib.sha256(data).hexdigest())


def checked_content(data: bytes) -> str:
    """The sniffed content type, or the error the uploader should see."""
    if not data:
        raise InvalidInput("上传的文件为空", {"file": "请选择要上传的文件"})
    if len(data) > MAX_BYTES:
        raise TooLarge("文件过大：每个文件不能超过 10 MB", {"file": "文件不能超过 10 MB"})
    content_type = sniff(data)
    if content_type is None:
        raise InvalidInput("仅支持 PDF、JPEG、PNG 文件", {"file": "文件内容不是有效的 PDF、JPEG 或 PNG"})
    return content_type


# -- cases -----------------------------------------------------------------------------

def lock_case_for_upload(session: Session, actor: Actor, case_id: int) -> Case:
    """The case, row-locked so it cannot close while a file is added; NotFound (same message
    as `readable_case`) when it is missing or not the actor's."""
    query = (select(Case).where(Case.id == case_id).with_for_update()
             .execution_options(populate_existing=True))
    case = session.scalars(query).first()
    if case is None or not may_read_case(actor, case):
        raise NotFound("案件不存在")
    return case


def store_attachment(session: Session, case: Case, file: bytes | CheckedFile, filename: str, actor: Actor,
                     now: datetime, purpose: str = "proof") -> Attachment:
    """Add a file to a running case and audit it; the caller commits. Pass a `check_file`
    result made before the transaction (bytes are checked here, under the caller's locks)."""
    _check_party(actor, case)
    if case.status != "running":
        raise Conflict("案件已办结或已终止，不能再上传附件")
    if purpose not in PURPOSES:
        raise InvalidInput("附件用途不正确", {"purpose": "可选：" + "、".join(PURPOSES)})
    checked = file if isinstance(file, CheckedFile) else check_file(file)
    if checked.error is not None:
        raise checked.error
    data, content_type = checked.data, checked.content_type
    attachment = Attachment(
        id=secrets.token_urlsafe(32), case_id=case.id, purpose=purpose,
        filename=display_name(filename, content_type), content_type=content_type, size=len(data),
        sha256=checked.sha256, data=data, uploaded_by=actor.username, uploaded_at=now)
    session.add(attachment)
    session.add(CaseEvent(
        case_id=case.id, at=now, actor=actor.username, kind="attachment_added",
        summary=f"上传附件“{attachment.filename}”（{PURPOSES[purpose]}）"[:500],
        after={"attachment_id": attachment.id, "filename": attachment.filename, "purpose": purpose,
               "content_type": content_type, "size": attachment.size, "sha256": attachment.sha256}))
    session.flush()
    return attachment


def _check_party(actor: Actor, case: Case) -> None:
    if not may_read_case(actor, case):
        raise NotFound("案件不存在")
    if not allows(actor, "may_upload_attachments"):  # e.g. auditors read cases but add no evidence
        raise Forbidden("无权为该案件上传附件")


def list_attachments(session: Session, case_id: int) -> list[Attachment]:
    """The case's attachments, oldest first, without loading their bytes."""
    query = (select(Attachment).where(Attachment.case_id == case_id).options(defer(Attachment.data))
             .order_by(Attachment.uploaded_at, Attachment.id))
    return list(session.scalars(query))


def get_attachment(session: Session, actor: Actor, attachment_id: str) -> Attachment:
    """An attachment the actor may read; one NotFound whether it is missing or someone else's."""
    attachment = session.get(Attachment, attachment_id) if len(attachment_id) <= 43 else None
    case = session.get(Case, attachment.case_id) if attachment is not None else None
    if case is None or not may_read_case(actor, case):
        raise NotFound("附件不存在")
    return attachment


def attachment_document(attachment: Attachment) -> dict[str, Any]:
    return {"id": attachment.id, "filename": attachment.filename, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256, "purpose": attachment.purpose,
            "uploaded_by": attachment.uploaded_by, "uploaded_at": iso(attachment.uploaded_at),
            "url": f"/api/v1/attachments/{attachment.id}"}
