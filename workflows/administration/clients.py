"""System clients as the credit office administers them: create, rotate the token, revoke, list.

A clear token leaves this module exactly once, in the `IssuedToken` of `create_client` or
`rotate_token`; the database keeps its sha256 and a short prefix. Each function is one
audited transaction (a `case_event` without a case, like every admin change).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.administration.audit import audit
from workflows.core.clock import as_utc
from workflows.core.errors import Conflict, InvalidInput, NotFound
from workflows.core.models.people import ApiClient, Department
from workflows.core.paging import Page, page_number, paginate
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.clients import SCOPES, USERNAME_PREFIX, new_token, shown_prefix
from workflows.people.permissions import require
from workflows.people.tokens import hash_token

REFUSED = "只有信用办可以管理系统客户端"
NAME_MAX = 64 - len(USERNAME_PREFIX)  # `client:<name>` must fit the 64-character actor columns
DESCRIPTION_MAX = 500
NAME_PATTERN = re.compile(r"[\w.-]+")  # letters (汉字 too), digits, _ . - : no spaces, no colon
INVALID = "系统客户端信息不完整或不正确"


@dataclass(frozen=True)
class NewClient:
    """What an admin says about a new client."""

    name: str
    scopes: tuple[str, ...]
    description: str = ""
    department_code: str | None = None  # the department whose records it writes (records_write)


@dataclass(frozen=True)
class IssuedToken:
    """A client and its clear token: show it once, it cannot be read back."""

    client: ApiClient
    token: str


def list_clients(store: Store) -> list[ApiClient]:
    """Active clients first, then revoked ones; by name."""
    with store.read() as session:
        return list(session.scalars(select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.name)))


def clients_page(store: Store, number: Any, size: int) -> Page:
    """One numbered page of clients, in `list_clients` order."""
    query = select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.name, ApiClient.id)
    with store.read() as session:
        page = paginate(session, query, page_number(number), size)
        return Page([row[0] for row in page.items], page.total, page.number, page.size)


def get_client(store: Store, client_id: int) -> ApiClient | None:
    with store.read() as session:
        return session.get(ApiClient, client_id)


def create_client(store: Store, actor: Actor, spec: NewClient, now: datetime) -> IssuedToken:
    """A new client with a fresh token; a taken name is a conflict, nothing is stored on refusal."""
    require(actor, "may_manage_clients", REFUSED)
    name, description = _name(spec.name), (spec.description or "").strip()
    scopes = _scopes(spec.scopes)
    department_code = (spec.department_code or "").strip().upper() or None
    _check(name, scopes, description, department_code)
    token = new_token()
    with store.write() as uow:
        _check_department(uow.session, department_code)
        if uow.session.scalars(select(ApiClient.id).where(func.lower(ApiClient.name) == name.lower())).first():
            raise Conflict(f"客户端名称 {name} 已被使用", {"name": "该名称已被使用"})
        client = ApiClient(name=name, description=description, scopes=",".join(scopes),
                           token_hash=hash_token(token), token_prefix=shown_prefix(token),
                           department_code=department_code, created_at=as_utc(now), created_by=actor.username)
        uow.session.add(client)
        audit(uow.session, actor, "client_created", f"创建系统客户端 {name}", now, after=_state(client))
        _commit(uow, name)
    return IssuedToken(client, token)


def rotate_token(store: Store, actor: Actor, client_id: int, now: datetime) -> IssuedToken:
    """A new token for the client; the old one stops working at once."""
    require(actor, "may_manage_clients", REFUSED)
    token = new_token()
    with store.write() as uow:
        client = _get(uow.session, client_id)
        if client.revoked_at is not None:
            raise Conflict(f"系统客户端 {client.name} 已吊销，不能更换令牌")
        before = client.token_prefix
        client.token_hash, client.token_prefix = hash_token(token), shown_prefix(token)
        audit(uow.session, actor, "client_token_rotated", f"更换系统客户端 {client.name} 的令牌", now,
              before={"token_prefix": before}, after={"token_prefix": client.token_prefix})
        uow.commit()
    return IssuedToken(client, token)


def revoke_client(store: Store, actor: Actor, client_id: int, now: datetime) -> ApiClient:
    """Revoke for good (its token stops at once; the row stays for the audit trail)."""
    require(actor, "may_manage_clients", REFUSED)
    with store.write() as uow:
        client = _get(uow.session, client_id)
        if client.revoked_at is None:
            client.revoked_at, client.revoked_by = as_utc(now), actor.username
            audit(uow.session, actor, "client_revoked", f"吊销系统客户端 {client.name}", now,
                  before={"active": True}, after={"active": False})
        uow.commit()
    return client


def _get(session: Session, client_id: int) -> ApiClient:
    client = session.get(ApiClient, client_id)
    if client is None:
        raise NotFound(f"系统客户端 {client_id} 不存在")
    return client


def _name(name: str) -> str:
    return (name or "").strip()


def _scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({(scope or "").strip() for scope in scopes}))


def _check(name: str, scopes: tuple[str, ...], description: str, department_code: str | None) -> None:
    """Every field's problem at once, in Chinese, before anything is written."""
    errors = {}
    if not name:
        errors["name"] = "请填写客户端名称"
    elif len(name) > NAME_MAX:
        errors["name"] = f"客户端名称不超过{NAME_MAX}个字符"
    elif not NAME_PATTERN.fullmatch(name):
        errors["name"] = "客户端名称只能包含字母、汉字、数字、点、短横线和下划线"
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        errors["scopes"] = f"未知权限范围：{'、'.join(unknown)}（可选：{'、'.join(SCOPES)}）"
    elif not scopes:
        errors["scopes"] = "请至少选择一项权限范围"
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"说明不超过{DESCRIPTION_MAX}个字"
    if "records_write" in scopes and not department_code:
        errors["department_code"] = "写入信用记录的客户端必须绑定部门"
    elif department_code and "records_write" not in scopes:
        errors["department_code"] = "只有写入信用记录的客户端才绑定部门"
    elif department_code and len(department_code) > 32:
        errors["department_code"] = "部门代码不超过32个字符"
    if errors:
        raise InvalidInput(INVALID, errors)


def _check_department(session: Session, code: str | None) -> None:
    if code is None:
        return
    department = session.get(Department, code)
    if department is None:
        raise InvalidInput(INVALID, {"department_code": f"部门 {code} 不存在"})
    if not department.active:
        raise InvalidInput(INVALID, {"department_code": f"部门 {code} 已停用"})


def _commit(uow, name: str) -> None:
    """Two admins creating the same name at once: the unique index refuses the second."""
    try:
        uow.commit()
    except IntegrityError:
        raise Conflict(f"客户端名称 {name} 已被使用", {"name": "该名称已被使用"}) from None


def _state(client: ApiClient) -> dict[str, object]:
    """What the audit row keeps: never the token or its hash."""
    return {"name": client.name, "scopes": sorted(client.scope_set), "department_code": client.department_code,
            "description": client.description, "token_prefix": client.token_prefix}
