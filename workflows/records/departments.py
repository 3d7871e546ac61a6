"""A record's deciding department must be a registered, active department (issue 17): a typo
in the code would otherwise file a record that no department's desk, statistics or letters see."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.errors import RuleViolation
from workflows.core.models.people import Department

UNREGISTERED = "认定部门未登记"


def active_codes(session: Session, codes: Iterable[str]) -> set[str]:
    """Those of `codes` that name an active department (one query per 500 codes)."""
    wanted, found = sorted(set(codes)), set()
    for start in range(0, len(wanted), 500):
        query = select(Department.code).where(Department.code.in_(wanted[start:start + 500]), Department.active)
        found.update(session.scalars(query))
    return found


def require_registered_department(session: Session, code: str) -> None:
    if code not in active_codes(session, [code]):
        raise RuleViolation(f"{UNREGISTERED}：{code}", {"department_code": UNREGISTERED})
