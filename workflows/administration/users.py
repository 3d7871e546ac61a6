"""User accounts as the credit office administers them: list, create, change roles and
bindings, disable and enable, reset a password (the user must change it at next sign-in).

Each function is one audited transaction. Passwords follow `workflows.people.passwords`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from workflows.administration.audit import audit
from workflows.core.errors import Conflict, InvalidInput, NotFound
from workflows.core.identifiers import mask_subject_code
from workflows.core.limits import search_text
from workflows.core.models.people import ApiToken, User
from workflows.core.paging import Page, page_number, paginate
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.bindings import acting_subject, end_bindings, grant_binding
from workflows.people.passwords import check_password
from workflows.people.permissions import require
from workflows.people.users import check_roles, checked_email, create_user, find_user, hash_password

REFUSED = "只有信用办可以管理用户"
DISPLAY_NAME_MAX = 100


@dataclass(frozen=True)
class Profile:
    """What an admin sets about an account besides its password."""

    roles: tuple[str, ...]
    display_name: str = ""
    subject_code: str | None = None
    department_code: str | None = None
    email: str | None = None  # None leaves the address as it is (API callers that do not send it)


def list_users(store: Store) -> list[User]:
    with store.read() as session:
        return list(session.scalars(select(User).order_by(User.username)))


def users_page(store: Store, text: str, number: Any, size: int) -> Page:
    """Accounts by username, those whose username or name contains `text`, one numbered page."""
    text = search_text(text)
    query = select(User).order_by(User.username)
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(User.username.like(like, escape="\\"), User.display_name.like(like, escape="\\")))
    with store.read() as session:
        page = paginate(session, query, page_number(number), size)
        return Page([row[0] for row in page.items], page.total, page.number, page.size)


def get_user(store: Store, username: str) -> User | None:
    with store.read() as session:
        return find_user(session, username)


def add_user(store: Store, actor: Actor, username: str, password: str, profile: Profile, now: datetime) -> User:
    """A new account; an existing username is a conflict, never silently overwritten."""
    require(actor, "may_manage_users", REFUSED)
    username = (username or "").strip()
    with store.write() as uow:
        if find_user(uow.session, username) is not None:
            raise Conflict(f"用户名 {username} 已被使用", {"username": "用户名已被使用"})
        _check_display_name(profile.display_name)
        email = checked_email(profile.email)
        user = create_user(uow.session, username, password, list(profile.roles), now,
                           subject_code=profile.subject_code or None, department_code=profile.department_code or None,
                           display_name=profile.display_name.strip(), granted_by=actor.username)
        user.email = email or None
        audit(uow.session, actor, "user_created", f"创建用户 {username}", now, after=_profile_of(user))
        uow.commit()
    return user


def update_user(store: Store, actor: Actor, username: str, profile: Profile, now: datetime) -> User:
    """Change roles, display name and the subject or department the account is bound to."""
    require(actor, "may_manage_users", REFUSED)
    _check_display_name(profile.display_name)
    email = None if profile.email is None else checked_email(profile.email)
    with store.write() as uow:
        user = _get(uow.session, username)
        subject, department = profile.subject_code or None, profile.department_code or None
        check_roles(uow.session, list(profile.roles), subject, department)
        before = _profile_of(user)
        user.roles = ",".join(sorted(set(profile.roles)))
        _rebind(uow.session, actor, user, subject, now)
        user.department_code = department
        user.display_name = profile.display_name.strip() or user.username
        if email is not None:
            user.email = email or None
        audit(uow.session, actor, "user_updated", f"修改用户 {username} 的角色或绑定", now,
              before=before, after=_profile_of(user))
        uow.commit()
    return user


def set_user_active(store: Store, actor: Actor, username: str, active: bool, now: datetime) -> User:
    """Disable (sessions and tokens stop working at once) or enable an account."""
    require(actor, "may_manage_users", REFUSED)
    if not active and username == actor.username:
        raise Conflict("不能停用自己的账号")
    with store.write() as uow:
        user = _get(uow.session, username)
        if user.active != active:
            user.active = active
            if not active:
                _revoke_tokens(uow.session, user)
            kind, verb = ("user_enabled", "启用") if active else ("user_disabled", "停用")
            audit(uow.session, actor, kind, f"{verb}用户 {username}", now,
                  before={"active": not active}, after={"active": active})
        uow.commit()
    return user


def reset_password(store: Store, actor: Actor, username: str, password: str, now: datetime) -> User:
    """Set a temporary password; the user must choose a new one before doing anything else."""
    require(actor, "may_manage_users", REFUSED)
    with store.write() as uow:
        user = _get(uow.session, username)
        check_password(password, user.username)
        user.password_hash, user.must_change_password = hash_password(password), True
        _revoke_tokens(uow.session, user)
        audit(uow.session, actor, "password_reset", f"重置用户 {username} 的密码", now,
              after={"must_change_password": True})
        uow.commit()
    return user


def _rebind(session: Session, actor: Actor, user: User, subject: str | None, now: datetime) -> None:
    """The administrator's subject field: a new subject is bound as the administrator's grant;
    clearing it ends the account's binding to the subject it acted for."""
    current = acting_subject(session, user, now)
    if subject == current:
        return
    if current is not None:
        end_bindings(session, actor, user, current, now, "管理员修改账号绑定")
    if subject:
        grant_binding(session, user_id=user.id, subject_code=subject, relation="holder", source="admin",
                      granted_by=actor.username, now=now)
        user.subject_code = subject
    elif current is not None:
        user.subject_code = None


def _get(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"用户 {username} 不存在")
    return user


def _revoke_tokens(session: Session, user: User) -> None:
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def _check_display_name(name: str) -> None:
    if len((name or "").strip()) > DISPLAY_NAME_MAX:
        raise InvalidInput(f"显示名称不超过{DISPLAY_NAME_MAX}个字", {"display_name": "过长"})


def _profile_of(user: User) -> dict[str, object]:
    return {"username": user.username, "display_name": user.display_name, "roles": sorted(user.role_set),
            "subject_code": mask_subject_code(user.subject_code) if user.subject_code else None,
            "department_code": user.department_code, "email": user.email, "active": user.active}
