"""Which of my records I may ask to repair or object to today, and why not.

A record is repairable while shown, if the law allows repair and no repair or objection runs
for it; it may be filed once its earliest repair date has come. It is objectable while shown
or suspended, one objection at a time. The filing verbs check all of this again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.models.cases import Case
from workflows.core.models.records import CaseRecord
from workflows.core.store import Store
from workflows.engine.rules import RuleBook, RuleError
from workflows.engine.specs import SpecLibrary
from workflows.records import PUBLIC_KINDS, subject_document

OPEN_KINDS = ("repair", "objection")  # a running case of these kinds blocks a new request
OBJECTABLE = ("public", "suspended")  # publicity statuses a subject may object to (DOMAIN §C)


@dataclass(frozen=True)
class RecordRow:
    """One record with what the applicant may do about it today."""

    doc: dict[str, Any]
    earliest: date | None
    open_case_id: int | None
    needs_training: bool
    today: date
    open_objection_id: int | None = None
    needs_report: bool = False

    @property
    def shown_until(self) -> date | None:
        """Windows are half-open: `publicity_max_end` is the first day no longer shown."""
        end = self.doc["publicity_max_end"]
        return date.fromisoformat(end) - timedelta(days=1) if end else None

    @property
    def is_public(self) -> bool:
        return self.doc["publicity_status"] == "public"

    @property
    def repairable(self) -> bool:
        return (self.is_public and not self.doc["non_repairable"] and not self.doc["non_repairable_by_category"]
                and self.open_case_id is None)

    @property
    def objectable(self) -> bool:
        """Shown or suspended, and no objection running for it (one at a time per record)."""
        return self.doc["publicity_status"] in OBJECTABLE and self.open_objection_id is None

    @property
    def may_file(self) -> bool:
        return self.repairable and (self.earliest is None or self.earliest <= self.today)

    @property
    def must_wait(self) -> bool:
        return self.repairable and self.earliest is not None and self.earliest > self.today


def my_subject(session: Session, code: str, rules: RuleBook, today: date) -> dict[str, Any]:
    """The subject (code masked if a person) and its repairable-kind records as RecordRows."""
    document = subject_document(session, code, show_personal=False)
    repairs = open_case_by_record(session, code, ("repair",))
    objections = open_case_by_record(session, code, ("objection",))
    document["rows"] = [_row(doc, repairs, objections, rules, today)
                        for doc in document["records"] if doc["kind"] in PUBLIC_KINDS]
    return document


def _row(doc: dict[str, Any], repairs: dict[int, int], objections: dict[int, int], rules: RuleBook,
         today: date) -> RecordRow:
    """`open_case_id` is the running repair, else the running objection, of the record."""
    earliest, record_id = doc["earliest_repair_date"], doc["id"]
    documents = repair_documents(rules, doc["regime"], doc["severity"])
    return RecordRow(doc, date.fromisoformat(earliest) if earliest else None,
                     repairs.get(record_id) or objections.get(record_id),
                     documents["requires_training"], today, objections.get(record_id),
                     documents["requires_credit_report"])


def repair_documents(rules: RuleBook, regime: str, severity: str) -> dict[str, bool]:
    """DMN `repair_documents` (527 + serious → training certificate and credit report).

    A deployment without the repair rules simply shows no hint rather than failing the page.
    """
    try:
        verdict = rules.decide("repair_documents", regime=regime, severity=severity)
    except RuleError:
        return {"requires_training": False, "requires_credit_report": False}
    return {key: bool(verdict[key]) for key in ("requires_training", "requires_credit_report")}


def filing_choices(store: Store, specs: SpecLibrary, code: str, now: datetime) -> dict[str, Any]:
    """My subject (code masked if a person) with its records as RecordRows, as of today."""
    today = to_local(now).date()
    with store.read() as session:
        return my_subject(session, code, RuleBook(specs.current), today)


def open_case_by_record(session: Session, code: str, kinds: tuple[str, ...] = OPEN_KINDS) -> dict[int, int]:
    query = (select(CaseRecord.record_id, Case.id).join(Case, Case.id == CaseRecord.case_id)
             .where(Case.subject_code == code, Case.status == "running", Case.kind.in_(kinds))
             .order_by(Case.id))
    return {record_id: case_id for record_id, case_id in session.execute(query)}
