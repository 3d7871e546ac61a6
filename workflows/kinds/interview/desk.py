"""What the desk reads for interviews: the records an interview is about, and the calendar."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.models.letters import Letter
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import allows, unscoped

SCHEDULE_EVENTS = ("interview_scheduled", "interview_rescheduled")
BAD_KINDS = ("penalty", "serious_list", "key_attention", "breach")


@dataclass(frozen=True)
class InterviewSource:
    """Whom an interview is for and the records it is about (from a warning or a record)."""

    subject_code: str | None = None
    records: list[CreditRecord] = field(default_factory=list)
    warning: EarlyWarning | None = None
    department: str | None = None  # the acting officer's department, when records of it are offered

    @property
    def preselected(self) -> set[int]:
        """The records ticked at first: one designating department's (谁认定、谁约谈), the
        actor's own when it has one, so the form as offered can be submitted."""
        if not self.records:
            return set()
        department = self.department or self.records[0].department_code
        return {r.id for r in self.records if r.department_code == department}


class Appointment(NamedTuple):
    at: datetime  # local time
    case: Case
    place: str


def interview_source(store: Store, warning_id: int | None, record_id: int | None,
                     actor: Actor | None = None) -> InterviewSource:
    """A warning names its evidence records — for a department officer only those its own
    department designated; a record brings its subject's other bad records of the same
    department (谁认定、谁约谈: one interview, one designating department)."""
    with store.read() as session:
        warning = session.get(EarlyWarning, warning_id) if warning_id else None
        if warning is not None:
            ids = (warning.evidence or {}).get("record_ids", [])
            query = select(CreditRecord).where(CreditRecord.id.in_(ids))
            if actor is not None and not unscoped(actor, "may_schedule_interview"):
                query = query.where(CreditRecord.department_code == actor.department_code)
            records = list(session.scalars(query.order_by(CreditRecord.department_code, CreditRecord.id)))
            own = actor.department_code if actor is not None else None
            return InterviewSource(warning.subject_code, records, warning,
                                   own if any(r.department_code == own for r in records) else None)
        record = session.get(CreditRecord, record_id) if record_id else None
        return _from_record(session, record) if record is not None else InterviewSource()


def _from_record(session: Session, record: CreditRecord) -> InterviewSource:
    records = session.scalars(select(CreditRecord).where(
        CreditRecord.subject_code == record.subject_code, CreditRecord.department_code == record.department_code,
        CreditRecord.kind.in_(BAD_KINDS)))
    return InterviewSource(record.subject_code, list(records))


def interview_calendar(store: Store, actor: Actor) -> list[tuple[str, list[Appointment]]]:
    """Running interviews by local day, at their latest schedule (the department's own unless
    the actor may see all of them)."""
    with store.read() as session:
        query = select(Case).where(Case.kind == "interview", Case.status == "running")
        if not allows(actor, "may_see_all_interviews"):
            query = query.where(Case.department_code == actor.department_code)
        cases = {c.id: c for c in session.scalars(query)}
        latest = latest_schedules(session, list(cases))
    days: dict[str, list[Appointment]] = defaultdict(list)
    for case_id, after in latest.items():
        moment = to_local(datetime.fromisoformat(after["scheduled_at"]))
        days[moment.date().isoformat()].append(Appointment(moment, cases[case_id], after.get("place", "")))
    return sorted((day, sorted(items, key=lambda a: a.at)) for day, items in days.items())


def latest_schedules(session: Session, case_ids: list[int]) -> dict[int, dict]:
    """Each case's latest schedule ({"scheduled_at", "place"}), from its last schedule event.

    Reschedule events written before issue 13 carry no details: for those the schedule is the
    one printed on the case's latest interview notice (re-issued by every reschedule)."""
    if not case_ids:
        return {}
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind.in_(SCHEDULE_EVENTS))
                             .order_by(CaseEvent.id))
    latest = {e.case_id: e.after for e in events}
    missing = [case_id for case_id, after in latest.items() if not _complete(after)]
    latest.update(_from_notices(session, missing))
    return {case_id: after for case_id, after in latest.items() if _complete(after)}


def _complete(after: dict | None) -> bool:
    return isinstance(after, dict) and isinstance(after.get("scheduled_at"), str) and _parses(after["scheduled_at"])


def _parses(moment: str) -> bool:
    try:
        datetime.fromisoformat(moment)
    except ValueError:
        return False
    return True


def _from_notices(session: Session, case_ids: list[int]) -> dict[int, dict]:
    """Time and place of each case's latest interview notice."""
    if not case_ids:
        return {}
    rows = session.execute(select(Letter.case_id, Letter.context).where(
        Letter.case_id.in_(case_ids), Letter.letter_type == "interview_notice").order_by(Letter.id))
    return {case_id: {"scheduled_at": context.get("scheduled_at"), "place": context.get("place") or ""}
            for case_id, context in rows if isinstance(context, dict)}


def latest_schedule(store: Store, case_id: int) -> dict | None:
    """Where and when the interview now takes place (after any rescheduling)."""
    with store.read() as session:
        return latest_schedules(session, [case_id]).get(case_id)
