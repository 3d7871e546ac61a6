"""Commitment register rows, as the flow or the import would write them."""
from __future__ import annotations

from datetime import date, datetime, timezone
from itertools import count

from workflows.core.models.commitments import Commitment

from .subjects import COMPANY, OTHER, PERSON, PERSON_MASKED

CREATED = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)
DEPARTMENTS = {"QZ-SCJG": "泉州市市场监督管理局", "QZ-ZJ": "泉州市住房和城乡建设局"}
_serial = count(1)


def commitment(**changes) -> Commitment:
    """A register row as the flow or the import would write it; `changes` override."""
    department = changes.pop("department", "QZ-SCJG")
    data = dict(
        code=f"35050020260601{next(_serial):06d}", subject_code=COMPANY, subject_name="泉州市清源食品有限公司",
        subject_category="法人及非法人组织", commitment_type="approval_substitute", matter="食品经营许可",
        content="已具备食品经营许可条件", liability="撤销许可，记入信用记录", made_on=date(2026, 6, 1),
        disclosure="public", department_code=department, department_name=DEPARTMENTS[department],
        status="accepted", source="flow", created_at=CREATED, updated_at=CREATED)
    data.update(changes)
    return Commitment(**data)


def add(store, *rows: Commitment) -> list[str]:
    with store.write() as uow:
        uow.session.add_all(rows)
        uow.commit()
    return [row.code for row in rows]


__all__ = ["COMPANY", "CREATED", "DEPARTMENTS", "OTHER", "PERSON", "PERSON_MASKED", "add", "commitment"]
