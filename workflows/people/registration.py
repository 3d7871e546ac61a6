"""Applicants open their own account (`/portal/register`), bound to one subject."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import mask_subject_code, validate_subject_code
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Subject, User
from workflows.core.store import Store
from workflows.people.subjects import register_subject
from workflows.people.users import create_user, find_user

USERNAME_TAKEN = "用户名已被使用"


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    subject_code: str
    subject_name: str
    phone: str = ""


def register_applicant(store: Store, form: Registration, now: datetime) -> User:
    """An applicant account bound to one subject, registering the subject if it is new; one
    transaction, audited, so a refusal (taken name, wrong subject name) stores nothing."""
    with store.write() as uow:
        user = _register(uow.session, form, now)
        uow.commit()
    return user


def _register(session: Session, form: Registration, now: datetime) -> User:
    """`create_user` updates an existing username in place, which would let anyone take over
    an account, so a taken name is refused here first (and again by the unique index)."""
    if find_user(session, form.username) is not None:
        raise InvalidInput(USERNAME_TAKEN, {"username": USERNAME_TAKEN})
    _category, code = validate_subject_code(form.subject_code)
    new_subject = _bind_subject(session, code, form.subject_name, now)
    user = create_user(session, form.username, form.password, ["applicant"], now, subject_code=code)
    session.add(CaseEvent(
        case_id=None, at=now, actor=form.username, kind="applicant_registered",
        summary=f"申请人账号 {form.username} 注册，绑定主体 {mask_subject_code(code)}"[:500],
        after={"username": form.username, "subject_code": mask_subject_code(code),
               "new_subject": new_subject, "contact_phone": form.phone or None}))
    try:
        session.flush()
    except IntegrityError as exc:  # the same name registered at the same moment
        raise InvalidInput(USERNAME_TAKEN, {"username": USERNAME_TAKEN}) from exc
    return user


def _bind_subject(session: Session, code: str, name: str, now: datetime) -> bool:
    """True if the subject was registered now; a known subject's name must match."""
    subject = session.get(Subject, code)
    if subject is None:
        register_subject(session, code, name, now)
        session.flush()
        return True
    if _comparable(subject.name) != _comparable(name):
        message = "主体名称与已登记的名称不一致，请按营业执照或身份证填写"
        raise InvalidInput(message, {"subject_name": message})
    return False


def _comparable(name: str) -> str:
    """Full-width and half-width brackets or spaces do not make a different name."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())
