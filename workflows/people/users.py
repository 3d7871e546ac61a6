"""User accounts: argon2 password hashes, roles, binding to a subject or a department."""
from __future__ import annotations

import logging
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.db import read_once_more_if_lost
from workflows.core.errors import InvalidInput
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department, Subject, User
from workflows.core.store import Store
from workflows.people.access import ROLES, Actor
from workflows.people.bindings import acting_subject, grant_binding
from workflows.people.passwords import check_password, password_problem

_hasher = PasswordHasher()
_log = logging.getLogger(__name__)
EMAIL_INVALID = "电子邮箱地址格式不正确"


def checked_email(value: str | None) -> str:
    """The address normalised, or "" when none is given. Syntax only: a government intranet may
    not resolve the domain, so deliverability is not asked."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as err:
        raise InvalidInput(EMAIL_INVALID, {"email": EMAIL_INVALID}) from err


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_of(user: User, subject_code: str | None) -> Actor:
    """The acting person; `subject_code` is the subject it acts for now (`acting_subject`),
    never simply `user.subject_code`, which stays set after a binding lapses."""
    return Actor(user.username, user.role_set, subject_code, user.department_code)


def actor_for(session: Session, username: str, now: datetime) -> Actor | None:
    user = find_user(session, username)
    return actor_of(user, acting_subject(session, user, now)) if user and user.active else None


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user, or None; unknown names cost a hash check too, so timing reveals nothing."""
    user = find_user(session, username)
    if user is None:
        _verify_dummy(password)
        return None
    if not verify_password(user, password) or not user.active:
        return None
    return user


def _verify_dummy(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not-a-real-password")
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


_DUMMY_HASH: str | None = None


def create_user(session: Session, username: str, password: str, roles: list[str], now: datetime, *,
                subject_code: str | None = None, department_code: str | None = None,
                display_name: str = "", granted_by: str = "system") -> User:
    """Create or update (same username) a user; roles must be known keys. A subject given here
    is the operator's (or administrator's) own word, so it is bound as an administrator's grant."""
    _check_new_user(username, password, roles, subject_code, department_code)
    _check_bindings(session, subject_code, department_code)
    user = find_user(session, username) or User(username=username, created_at=now)
    user.password_hash = hash_password(password)
    user.roles = ",".join(sorted(set(roles)))
    user.subject_code, user.department_code = subject_code, department_code
    user.display_name = display_name or user.display_name or username
    user.active = True
    session.add(user)
    if subject_code:
        session.flush()
        grant_binding(session, user_id=user.id, subject_code=subject_code, relation="holder", source="admin",
                      granted_by=granted_by, now=now)
    return user


def _check_bindings(session: Session, subject_code: str | None, department_code: str | None) -> None:
    if subject_code and session.get(Subject, subject_code) is None:
        raise InvalidInput(f"主体 {subject_code} 不存在", {"subject": "请先登记该主体"})
    department = session.get(Department, department_code) if department_code else None
    if department_code and department is None:
        raise InvalidInput(f"部门 {department_code} 不存在", {"department": "请先登记该部门"})
    if department is not None and not department.active:
        raise InvalidInput(f"部门 {department_code} 已停用", {"department": "该部门已停用"})


def _check_new_user(username, password, roles, subject_code, department_code) -> None:
    errors = {}
    if not username or len(username) > 64:
        errors["username"] = "用户名不能为空且不超过64个字符"
    problem = password_problem(password, username)
    if problem:
        errors["password"] = problem
    errors.update(role_problems(roles, subject_code, department_code))
    if list(errors) == ["password"]:
        raise InvalidInput(errors["password"], errors)
    if errors:
        raise InvalidInput("用户信息不完整或不正确", errors)


def check_roles(session: Session, roles: list[str], subject_code: str | None, department_code: str | None) -> None:
    """Known roles, with the binding each needs, to subjects and departments that exist."""
    errors = role_problems(roles, subject_code, department_code)
    if errors:
        raise InvalidInput("用户信息不完整或不正确", errors)
    _check_bindings(session, subject_code, department_code)


def role_problems(roles: list[str], subject_code: str | None, department_code: str | None) -> dict[str, str]:
    errors = {}
    unknown = [r for r in roles if r not in ROLES]
    if not roles or unknown:
        errors["role"] = f"未知角色：{', '.join(unknown) or '（未指定）'}"
    if "department" in roles and not department_code:
        errors["department"] = "认定部门账号必须绑定部门"
    return errors


def account(store: Store, user_id: int, now: datetime) -> tuple[User, str | None] | None:
    """The user a session belongs to and the subject it acts for now; None also when the
    database cannot be reached, so that pages (error pages too) still render, anonymously."""
    def read() -> tuple[User, str | None] | None:
        with store.read() as session:
            user = session.get(User, user_id)
            return (user, acting_subject(session, user, now)) if user is not None else None

    try:  # a connection that died is replaced first: a blip must not sign the user out
        return read_once_more_if_lost(read)
    except SQLAlchemyError:
        _log.warning("cannot load user %s", user_id, exc_info=True)
        return None


def save_user(store: Store, username: str, password: str, roles: list[str], now: datetime, *,
              subject_code: str | None = None, department_code: str | None = None, display_name: str = "") -> None:
    """`create_user` in its own transaction (the operator's `credit-cases create-user`)."""
    with store.write() as uow:
        create_user(uow.session, username, password, roles, now, subject_code=subject_code,
                    department_code=department_code, display_name=display_name)
        uow.commit()


def change_password(store: Store, user_id: int, current: str, new: str, now: datetime) -> User:
    """The user sets a new password (also the forced change after a reset); audited."""
    with store.write() as uow:
        user = uow.session.get(User, user_id)
        if user is None or not user.active:
            raise InvalidInput("账号不存在或已停用")
        if not verify_password(user, current):
            raise InvalidInput("当前密码不正确", {"current": "当前密码不正确"})
        if new == current:
            raise InvalidInput("新密码不能与当前密码相同", {"password": "新密码不能与当前密码相同"})
        check_password(new, user.username)
        user.password_hash, user.must_change_password = hash_password(new), False
        uow.session.add(CaseEvent(case_id=None, kind="password_changed", actor=user.username, at=as_utc(now),
                                  summary=f"用户 {user.username} 修改了密码"))
        uow.commit()
    return user
