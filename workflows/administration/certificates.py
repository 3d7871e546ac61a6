"""An organ's signing certificate (PKCS#12): point at a key file, upload one, or make demo keys.

The database keeps only the key file's path. A passphrase typed with an upload goes to the
owner-only `passphrases.json` beside the stored key; a key pointed at must have its passphrase
configured outside the application ($CREDIT_CASES_CERT_PASSPHRASE_<CODE> or that file). Every
change is audited with the certificate's subject and validity, never a secret.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from workflows.archive.certificates import (CertificateSummary, blob_summary, issue_demo_key, remember_passphrase,
                                            summary, write_private)
from workflows.archive.signing import SigningError
from workflows.administration.audit import audit
from workflows.core.errors import InvalidInput, NotFound
from workflows.core.models.people import Department
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import require

REFUSED = "无权管理部门"
KEY_MAX_BYTES = 64 * 1024  # a PKCS#12 key with its chain is a few KB
FOLDER = "certificates"  # under the data dir: uploaded and demo keys, passphrases.json, root-ca.pem


def certificate_of(department: Department) -> CertificateSummary | str | None:
    """What the admin page shows: the certificate, the reason it cannot be opened, or None (none set)."""
    if not department.certificate_path:
        return None
    try:
        return summary(department.certificate_path, department.code)
    except SigningError as err:
        return str(err)


def point_at_key(store: Store, actor: Actor, code: str, path: str, now: datetime) -> CertificateSummary | None:
    """Use the key file at `path` (its passphrase configured outside); an empty path: sign no more."""
    require(actor, "may_manage_departments", REFUSED)
    path = (path or "").strip()
    found = _checked(path, code) if path else None
    _save(store, actor, code, str(Path(path).resolve()) if path else None, found, now)
    return found


def upload_key(store: Store, actor: Actor, code: str, blob: bytes, passphrase: str, data_dir: Path,
               now: datetime) -> CertificateSummary:
    """Store an uploaded PKCS#12 key under the data dir (owner-only) and its passphrase beside it."""
    require(actor, "may_manage_departments", REFUSED)
    if not blob or len(blob) > KEY_MAX_BYTES:
        raise InvalidInput(f"证书文件不能为空且不超过{KEY_MAX_BYTES // 1024}KB", {"key": "文件大小不符"})
    code = _department_code(store, code)
    try:  # checked before anything is written: a refused key leaves no file behind
        blob_summary(blob, passphrase.encode("utf-8") or None, "上传的文件")
    except SigningError as err:
        raise InvalidInput(str(err), {"certificate": "证书文件或口令有误"}) from err
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code}.p12"
    write_private(path, blob)
    remember_passphrase(folder, code, passphrase)
    found = _checked(str(path), code)
    _save(store, actor, code, str(path.resolve()), found, now)
    return found


def organ_certificates(store: Store) -> list[tuple[str, CertificateSummary | str | None]]:
    """Every department's code with its certificate (or why it has none), for the operator's list."""
    with store.read() as session:
        return [(d.code, certificate_of(d)) for d in session.scalars(select(Department).order_by(Department.code))]


def demo_keys(store: Store, actor: Actor, data_dir: Path, now: datetime) -> dict[str, Path]:
    """A demo root CA and a key for every active department without a key of its own (idempotent)."""
    require(actor, "may_manage_departments", REFUSED)
    with store.read() as session:
        waiting = [(d.code, d.issuer_name or d.name) for d in session.scalars(
            select(Department).where(Department.active.is_(True)).order_by(Department.code))
            if not (d.certificate_path and Path(d.certificate_path).exists())]
    made = {code: issue_demo_key(data_dir / FOLDER, code, name, now) for code, name in waiting}
    for code, path in made.items():
        _save(store, actor, code, str(path), summary(path, code), now)
    return made


def _checked(path: str, code: str) -> CertificateSummary:
    try:
        return summary(path, code)
    except SigningError as err:
        raise InvalidInput(str(err), {"certificate": "证书文件或口令有误"}) from err


def _department_code(store: Store, code: str) -> str:
    with store.read() as session:
        department = session.get(Department, (code or "").strip().upper())
        if department is None:
            raise NotFound(f"部门 {code} 不存在")
        return department.code


def _save(store: Store, actor: Actor, code: str, path: str | None, found: CertificateSummary | None,
          now: datetime) -> None:
    with store.write() as uow:
        department = uow.session.get(Department, (code or "").strip().upper())
        if department is None:
            raise NotFound(f"部门 {code} 不存在")
        before = department.certificate_path
        department.certificate_path = path
        after = {"path": path, **({"subject": found.subject, "issuer": found.issuer,
                                   "not_after": found.not_after.isoformat()} if found else {})}
        audit(uow.session, actor, "department_certificate_changed", f"更换部门 {department.code} 的签名证书", now,
              before={"path": before}, after=after)
        uow.commit()
