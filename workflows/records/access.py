"""Who may read and create which records (API.md: staff; the subject itself; departments)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.core.errors import Forbidden, NotFound
from workflows.core.models.people import Department
from workflows.people.permissions import allows, require
from workflows.core.models.records import CreditRecord

def may_read_subject(actor: Actor, code: str) -> bool:
    return allows(actor, "may_read_records") or (actor.subject_code is not None and actor.subject_code == code)


def readable_record(session: Session, actor: Actor, record_id: int) -> CreditRecord:
    """The record, or NotFound — also when it exists but is about someone else (no leak)."""
    record = session.get(CreditRecord, record_id)
    if record is None or not may_read_subject(actor, record.subject_code):
        raise NotFound("信用记录不存在")
    return record


def scoped_to_department(session: Session, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """A department officer records only its own department's decisions; admins any.

    A missing department code or name is filled in from the officer's department.
    """
    if allows(actor, "may_create_records_anywhere"):
        return data
    require(actor, "may_create_records", "只有认定部门或信用办可以登记信用记录")
    data = dict(data)
    if not data.get("department_code"):
        data["department_code"] = actor.department_code
    if data["department_code"] != actor.department_code:
        raise Forbidden("认定部门只能登记本部门作出的信用记录",
                        {"department_code": f"应为本部门代码 {actor.department_code}"})
    department = session.get(Department, actor.department_code) if actor.department_code else None
    if department is not None and not data.get("department_name"):
        data["department_name"] = department.name
    return data
