"""Counter staff file an objection for a walk-in applicant (窗口代办): what they choose from."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord
from workflows.core.store import Store

OBJECTABLE = ("public", "suspended")  # publicity statuses a subject may object to (DOMAIN §C)


@dataclass(frozen=True)
class WalkIn:
    subject: Subject | None = None
    records: list[CreditRecord] = field(default_factory=list)


def walk_in_subject(store: Store, code: str) -> WalkIn:
    """The subject (None if unknown) and its shown or suspended records, newest decision first."""
    with store.read() as session:
        records = session.scalars(select(CreditRecord).where(
            CreditRecord.subject_code == code, CreditRecord.publicity_status.in_(OBJECTABLE))
            .order_by(CreditRecord.decision_date.desc()))
        return WalkIn(session.get(Subject, code), list(records))
