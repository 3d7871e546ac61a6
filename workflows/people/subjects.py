"""Subjects (companies by USCC, people by ID number) and departments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import validate_subject_code
from workflows.core.models.people import Department, Subject


def register_subject(session: Session, code: str, name: str, now: datetime) -> Subject:
    """Create or rename a subject; the code is validated (GB 32100 / GB 11643)."""
    category, code = validate_subject_code(code)
    if not name or not name.strip():
        raise InvalidInput("主体名称不能为空", {"name": "请填写名称"})
    subject = session.get(Subject, code) or Subject(code=code, category=category, created_at=now)
    subject.name = name.strip()
    session.add(subject)
    return subject


def register_department(session: Session, code: str, name: str) -> Department:
    if not code or not name:
        raise InvalidInput("部门代码和名称不能为空", {"code": "必填", "name": "必填"})
    department = session.get(Department, code) or Department(code=code)
    department.name = name
    session.add(department)
    return department
