"""Applicants open their own account (`/portal/register`): an account, not a binding.

Anyone can type a company's credit code, so registering proves nothing about the subject: the
account acts for a subject only once a binding request is approved or a trusted identity
provider asserts it (`workflows.people.bindings`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import User
from workflows.core.store import Store
from workflows.people.users import checked_email, create_user, find_user

USERNAME_TAKEN = "用户名已被使用"
DISPLAY_NAME_MAX = 100


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    display_name: str
    phone: str = ""
    email: str = ""  # optional: letters and notices by e-mail too


def register_applicant(store: Store, form: Registration, now: datetime) -> User:
    """An applicant account bound to no subject yet; one transaction, audited, so a refusal
    (a taken name, a weak password) stores nothing."""
    with store.write() as uow:
        user = _register(uow.session, form, now)
        uow.commit()
    return user


def _register(session: Session, form: Registration, now: datetime) -> User:
    """`create_user` updates an existing username in place, which would let anyone take over
    an account, so a taken name is refused here first (and again by the unique index)."""
    if find_user(session, form.username) is not None:
        raise InvalidInput(USERNAME_TAKEN, {"username": USERNAME_TAKEN})
    name = (form.display_name or "").strip()
    if not name or len(name) > DISPLAY_NAME_MAX:
        message = f"请填写姓名（不超过{DISPLAY_NAME_MAX}个字）"
        raise InvalidInput(message, {"display_name": message})
    email = checked_email(form.email)
    user = create_user(session, form.username, form.password, ["applicant"], now, display_name=name)
    user.email = email or None
    session.add(CaseEvent(
        case_id=None, at=now, actor=form.username, kind="applicant_registered",
        summary=f"申请人账号 {form.username} 注册（尚未绑定主体）"[:500],
        after={"username": form.username, "display_name": name, "contact_phone": form.phone or None,
               "email": user.email}))
    try:
        session.flush()
    except IntegrityError as exc:  # the same name registered at the same moment
        raise InvalidInput(USERNAME_TAKEN, {"username": USERNAME_TAKEN}) from exc
    return user
