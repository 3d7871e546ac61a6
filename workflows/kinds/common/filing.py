"""What several kinds check alike when a case is filed: the subject, its records, text sizes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core import limits
from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.core.identifiers import validate_subject_code
from workflows.core.models.records import CreditRecord
from workflows.people.access import Actor
from workflows.people.permissions import allows

MAX_TEXT = limits.TEXT  # every free-text field of a filing or a task form


def checked_subject(actor: Actor, subject_code: Any, refusal: str = "只能为本主体提出申请") -> str:
    """The normalised subject code, if the actor may file for it (own subject, or counter staff)."""
    if not isinstance(subject_code, str) or not subject_code.strip():
        raise InvalidInput("请填写主体代码", {"subject_code": "必填"})
    _, code = validate_subject_code(subject_code)
    if not allows(actor, "may_file_for_subject", subject_code=code):
        raise Forbidden(refusal)
    return code


def records_of(session: Session, code: str, ids: list[int]) -> list[CreditRecord]:
    """The records, checked to exist and to belong to `code`."""
    records = list(session.scalars(select(CreditRecord).where(CreditRecord.id.in_(ids))))
    check_records(code, ids, records)
    return sorted(records, key=lambda r: r.id)


def check_records(code: str, ids: list[int], records: list[CreditRecord]) -> None:
    found = {r.id for r in records}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"信用记录不存在：{', '.join(map(str, missing))}", {"record_ids": "记录不存在"})
    foreign = [r.id for r in records if r.subject_code != code]
    if foreign:
        raise InvalidInput("所选记录不属于该主体", {"record_ids": f"记录 {', '.join(map(str, foreign))} 不属于该主体"})


def record_summary(record: CreditRecord) -> dict[str, Any]:
    """What the case keeps of a record (letters and pages show it after the record changes)."""
    return {"id": record.id, "decision_no": record.decision_no, "kind": record.kind,
            "severity": record.severity, "department": record.department_name,
            "decision_date": record.decision_date.isoformat(), "content": record.content}
