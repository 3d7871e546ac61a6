"""Departments (认定部门 and the credit office): create, rename, deactivate, and the issuer
details their letters carry (DOMAIN.md §H: every letter goes out in the deciding organ's name).

Each function is one audited transaction; the caller passes the actor, the clock's `now` and
the configured local code pattern.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.administration.audit import audit
from workflows.core import limits
from workflows.core.errors import CaseError, Conflict, InvalidInput, NotFound
from workflows.core.identifiers import validate_department_code
from workflows.core.models.people import Department
from workflows.core.paging import Page, page_number, paginate
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import require

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SEAL_MAX_BYTES = 512 * 1024
NAME_MAX, TEXT_MAX, PHONE_MAX, PREFIX_MAX = 200, 200, 40, 32
#: A 发文机关标志 is the organ's 规范化简称 (GB/T 9704-2012 §7.2.2): three 22 pt lines at most.
MASTHEAD_MAX = 60
REFUSED = "只有信用办可以管理部门"


class SealTooLarge(CaseError):
    """A seal image over the size limit (API.md: 413)."""

    code = "too_large"
    http_status = 413


@dataclass(frozen=True)
class IssuerDetails:
    """What a letter issued in the department's name prints (besides its seal)."""

    issuer_name: str = ""
    address: str = ""
    phone: str = ""
    number_prefixes: dict[str, str] = field(default_factory=dict)  # letter type or "default" → prefix
    masthead_name: str = ""  # 发文机关标志 when the full name is too long for a masthead; "" prints issuer_name


def list_departments(store: Store) -> list[Department]:
    with store.read() as session:
        return list(session.scalars(select(Department).order_by(Department.code)))


def departments_page(store: Store, number: Any, size: int) -> Page:
    """Departments by code, one numbered page (the admin list; pickers still read them all)."""
    with store.read() as session:
        page = paginate(session, select(Department).order_by(Department.code), page_number(number), size)
        return Page([row[0] for row in page.items], page.total, page.number, page.size)


def find_department(store: Store, code: str) -> Department | None:
    with store.read() as session:
        return session.get(Department, (code or "").strip().upper())


def create_department(store: Store, actor: Actor, code: str, name: str, now: datetime,
                      pattern: str) -> Department:
    """A new department; its code is a 11… USCC or matches the local pattern."""
    require(actor, "may_manage_departments", REFUSED)
    code, name = validate_department_code(code, pattern), _name(name)
    with store.write() as uow:
        if uow.session.get(Department, code) is not None:
            raise Conflict(f"部门 {code} 已存在", {"code": "该部门代码已登记"})
        department = Department(code=code, name=name, active=True)
        uow.session.add(department)
        audit(uow.session, actor, "department_created", f"登记部门 {code} {name}", now,
              after={"code": code, "name": name})
        uow.commit()
    return department


def rename_department(store: Store, actor: Actor, code: str, name: str, now: datetime) -> Department:
    require(actor, "may_manage_departments", REFUSED)
    name = _name(name)
    with store.write() as uow:
        department = _get(uow.session, code)
        before = department.name
        department.name = name
        audit(uow.session, actor, "department_renamed", f"部门 {department.code} 更名为 {name}", now,
              before={"name": before}, after={"name": name})
        uow.commit()
    return department


def set_department_active(store: Store, actor: Actor, code: str, active: bool, now: datetime) -> Department:
    """Deactivate (no new users or letters for it; its history stays) or reactivate."""
    require(actor, "may_manage_departments", REFUSED)
    with store.write() as uow:
        department = _get(uow.session, code)
        if department.active != active:
            department.active = active
            kind, verb = ("department_activated", "启用") if active else ("department_deactivated", "停用")
            audit(uow.session, actor, kind, f"{verb}部门 {department.code}", now,
                  before={"active": not active}, after={"active": active})
        uow.commit()
    return department


def set_issuer_details(store: Store, actor: Actor, code: str, details: IssuerDetails, now: datetime) -> Department:
    require(actor, "may_manage_departments", REFUSED)
    _check_details(details)
    with store.write() as uow:
        department = _get(uow.session, code)
        before = issuer_of(department)
        department.issuer_name, department.address = details.issuer_name.strip(), details.address.strip()
        department.phone, department.number_prefixes = details.phone.strip(), dict(details.number_prefixes)
        department.masthead_name = details.masthead_name.strip()
        audit(uow.session, actor, "department_issuer_changed", f"修改部门 {department.code} 的发文信息", now,
              before=before, after=issuer_of(department))
        uow.commit()
    return department


def set_seal(store: Store, actor: Actor, code: str, image: bytes, now: datetime) -> Department:
    """Store the seal image: a PNG (sniffed, not trusted by name) of at most 512 KB."""
    require(actor, "may_manage_departments", REFUSED)
    check_seal(image)
    with store.write() as uow:
        department = _get(uow.session, code)
        had = department.seal_png is not None
        department.seal_png = image
        audit(uow.session, actor, "department_seal_changed", f"更换部门 {department.code} 的印章图片", now,
              before={"seal": had}, after={"seal": True, "bytes": len(image)})
        uow.commit()
    return department


def check_seal(image: bytes) -> None:
    if len(image) > SEAL_MAX_BYTES:
        raise SealTooLarge(f"印章图片不能超过{SEAL_MAX_BYTES // 1024}KB", {"seal": "文件过大"})
    if not image.startswith(PNG_SIGNATURE):
        raise InvalidInput("印章图片必须是PNG格式", {"seal": "不是PNG图片"})


def issuer_of(department: Department) -> dict[str, object]:
    """The issuer details as primitives (letters' context, API, audit)."""
    return {"issuer_name": department.issuer_name, "masthead_name": department.masthead_name,
            "address": department.address, "phone": department.phone,
            "number_prefixes": dict(department.number_prefixes or {})}


def _get(session: Session, code: str) -> Department:
    department = session.get(Department, (code or "").strip().upper())
    if department is None:
        raise NotFound(f"部门 {code} 不存在")
    return department


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(f"部门名称不能为空且不超过{NAME_MAX}个字", {"name": "请填写部门名称"})
    return name


def _check_details(details: IssuerDetails) -> None:
    errors = {}
    if len(details.issuer_name.strip()) > NAME_MAX:
        errors["issuer_name"] = f"发文机关名称不超过{NAME_MAX}个字"
    if len(details.masthead_name.strip()) > MASTHEAD_MAX:
        errors["masthead_name"] = f"发文机关标志不超过{MASTHEAD_MAX}个字"
    if len(details.address.strip()) > TEXT_MAX:
        errors["address"] = f"地址不超过{TEXT_MAX}个字"
    if len(details.phone.strip()) > PHONE_MAX:
        errors["phone"] = f"电话不超过{PHONE_MAX}个字符"
    if len(details.number_prefixes) > limits.ITEMS or any(
            not isinstance(k, str) or not isinstance(v, str) or len(k) > limits.CODE or len(v) > PREFIX_MAX
            for k, v in details.number_prefixes.items()):
        errors["number_prefixes"] = f"文号前缀为文字，每个不超过{PREFIX_MAX}个字，最多{limits.ITEMS}个"
    if errors:
        raise InvalidInput("发文信息不正确", errors)
