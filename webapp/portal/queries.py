"""What the portal shows an applicant, read for one subject only.

Plain functions over a Session (no Flask), so every list is scoped by the subject code the
caller passes in: an applicant can only ever be handed rows of their own subject.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from workflows.core.errors import NotFound
from workflows.archive.models import Letter
from workflows.engine.models import Case, CaseEvent, HumanTask, Notification
from workflows.kinds.commitment.models import Commitment
from workflows.kinds.common.models import Attachment
from workflows.people.models import Department, User
from workflows.records.models import CaseRecord
from workflows.records import PUBLIC_KINDS, subject_document
from workflows.engine.rules import RuleBook, RuleError

OPEN_KINDS = ("repair", "objection")  # a running case of these kinds blocks a new request
OBJECTABLE = ("public", "suspended")  # publicity statuses a subject may object to (DOMAIN §C)
# Audit kinds that tell the applicant something; claims, timers and internal steps do not.
# (The withdrawal itself shows as its `outcome` event.)
APPLICANT_EVENTS = frozenset({"case_started", "eligibility_checked", "accepted", "supplement_requested",
                              "letter_issued", "attachment_added", "outcome", "suspended",
                              "commitment_prepared", "commitment_accepted", "deficiency_missed", "breach_reported"})
APPLICANT_STEPS = frozenset({"supplement", "confirm", "supply"})  # the applicant's own tasks


@dataclass(frozen=True)
class RecordRow:
    """One record with what the applicant may do about it today."""

    doc: dict[str, Any]
    earliest: date | None
    open_case_id: int | None
    needs_training: bool
    today: date
    open_objection_id: int | None = None

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
        return self.is_public and not self.doc["non_repairable"] and self.open_case_id is None

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
    return RecordRow(doc, date.fromisoformat(earliest) if earliest else None,
                     repairs.get(record_id) or objections.get(record_id),
                     needs_training(rules, doc["regime"], doc["severity"]), today, objections.get(record_id))


def needs_training(rules: RuleBook, regime: str, severity: str) -> bool:
    """DMN `repair_documents` (527 + serious → training certificate and credit report).

    A deployment without the repair rules simply shows no hint rather than failing the page.
    """
    try:
        return bool(rules.decide("repair_documents", regime=regime, severity=severity)["requires_training"])
    except RuleError:
        return False


def open_case_by_record(session: Session, code: str, kinds: tuple[str, ...] = OPEN_KINDS) -> dict[int, int]:
    query = (select(CaseRecord.record_id, Case.id).join(Case, Case.id == CaseRecord.case_id)
             .where(Case.subject_code == code, Case.status == "running", Case.kind.in_(kinds))
             .order_by(Case.id))
    return {record_id: case_id for record_id, case_id in session.execute(query)}


def my_cases(session: Session, code: str, limit: int = 100) -> list[tuple[Case, list[HumanTask]]]:
    """Newest first, each with its open tasks (the projection, never the workflow JSON)."""
    cases = list(session.scalars(select(Case).where(Case.subject_code == code)
                                 .order_by(Case.id.desc()).limit(limit)))
    tasks = tasks_by_case(session, [case.id for case in cases])
    return [(case, tasks[case.id]) for case in cases]


def own_case(session: Session, code: str, case_id: int) -> Case:
    """Stricter than `readable_case`: the portal shows only the applicant's own subject."""
    case = session.get(Case, case_id)
    if case is None or case.subject_code != code:
        raise NotFound("案件不存在")
    return case


def open_tasks(session: Session, case_id: int) -> list[HumanTask]:
    query = (select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "ready")
             .order_by(HumanTask.created_at))
    return list(session.scalars(query))


def open_supplement(session: Session, case_id: int) -> HumanTask | None:
    return open_task(session, case_id, "supplement")


def open_task(session: Session, case_id: int, bpmn_id: str) -> HumanTask | None:
    query = select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                    HumanTask.state == "ready")
    return session.scalars(query).first()


def all_departments(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every department, for choosing where a commitment is accepted."""
    return [(code, name) for code, name in session.execute(select(Department.code, Department.name)
                                                           .order_by(Department.code))]


def my_commitments(session: Session, code: str, limit: int = 200) -> list[Commitment]:
    """The register rows of my subject, newest first (imported ones too: they have no case)."""
    query = (select(Commitment).where(Commitment.subject_code == code)
             .options(defer(Commitment.text)).order_by(Commitment.id.desc()).limit(limit))
    return list(session.scalars(query))


def tasks_by_case(session: Session, case_ids: list[int]) -> dict[int, list[HumanTask]]:
    """The open tasks of each case (the projection), in the order they appeared."""
    found: dict[int, list[HumanTask]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        query = (select(HumanTask).where(HumanTask.case_id.in_(case_ids), HumanTask.state == "ready")
                 .order_by(HumanTask.created_at))
        for task in session.scalars(query):
            found[task.case_id].append(task)
    return found


def letters_by_case(session: Session, case_ids: list[int]) -> dict[int, list[Letter]]:
    """Letter metadata only (the PDFs stay in the database until downloaded)."""
    found: dict[int, list[Letter]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        query = (select(Letter).where(Letter.case_id.in_(case_ids)).options(defer(Letter.pdf))
                 .order_by(Letter.id))
        for letter in session.scalars(query):
            found[letter.case_id].append(letter)
    return found


def supplement_items(session: Session, case_id: int) -> list[str]:
    """What the reviewer asked for in the latest supplement request."""
    query = (select(CaseEvent.after).where(CaseEvent.case_id == case_id,
                                           CaseEvent.kind == "supplement_requested")
             .order_by(CaseEvent.id.desc()).limit(1))
    after = session.scalars(query).first() or {}
    return [str(item) for item in after.get("items", [])]


def applicant_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline without internal steps; the applicant's own steps (supplement, signature) count."""
    return [e for e in events if e["kind"] in APPLICANT_EVENTS
            or (e["kind"] == "task_completed" and e["bpmn_id"] in APPLICANT_STEPS)]


def latest_event(events: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((e for e in reversed(events) if e["kind"] == kind), None)


def filed_request(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the applicant filed, as the `case_started` audit entry recorded it."""
    started = latest_event(events, "case_started")
    return dict(((started or {}).get("after") or {}).get("data") or {})


def subject_attachments(session: Session, case_id: int, code: str) -> list[Attachment]:
    """Files uploaded by the accounts of this subject (staff working papers stay on the desk)."""
    users = select(User.username).where(User.subject_code == code)
    query = (select(Attachment).where(Attachment.case_id == case_id, Attachment.uploaded_by.in_(users))
             .options(defer(Attachment.data)).order_by(Attachment.uploaded_at, Attachment.id))
    return list(session.scalars(query))


def unread_notifications(session: Session, username: str, limit: int = 50) -> list[Notification]:
    query = (select(Notification).where(Notification.username == username, Notification.read_at.is_(None))
             .order_by(Notification.id.desc()).limit(limit))
    return list(session.scalars(query))


def mark_read(session: Session, username: str, notification_id: int | None, now: datetime) -> int:
    """Mark one (or, with None, every) unread notification of this user read; returns how many.

    Someone else's notification is NotFound, exactly like a missing one.
    """
    if notification_id is None:
        rows = unread_notifications(session, username, limit=10_000)
    else:
        row = session.get(Notification, notification_id)
        if row is None or row.username != username or row.read_at is not None:
            raise NotFound("通知不存在或已读")
        rows = [row]
    for notification in rows:
        notification.read_at = now
    return len(rows)
