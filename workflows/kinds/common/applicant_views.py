"""What the portal shows an applicant, read for one subject only, each in one session.

Every function is scoped by the subject code the caller passes in, so an applicant can only
ever be handed rows of their own subject; another subject's case is NotFound, as if it did
not exist (stricter than `readable_case`: staff rules do not apply here).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from workflows.core.clock import to_local
from workflows.core.errors import NotFound
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case, CaseEvent, HumanTask, Notification
from workflows.core.models.commitments import Commitment
from workflows.core.models.letters import Letter
from workflows.core.models.people import Department, User
from workflows.core.store import Store
from workflows.engine.case_view import case_document
from workflows.engine.rules import RuleBook
from workflows.engine.specs import SpecLibrary
from workflows.kinds.commitment.filing import commitment_of_case
from workflows.kinds.commitment.templates import current_template
from workflows.kinds.common.case_messages import may_withdraw
from workflows.kinds.common.filing_eligibility import my_subject
from workflows.kinds.interview.desk import latest_schedules
from workflows.people.access import Actor
from workflows.people.notices import unread_notifications
from workflows.people.permissions import FILER_KINDS

# Audit kinds that tell the applicant something; claims, timers and internal steps do not.
# (The withdrawal itself shows as its `outcome` event.)
APPLICANT_EVENTS = frozenset({"case_started", "eligibility_checked", "accepted", "supplement_requested",
                              "letter_issued", "attachment_added", "outcome", "suspended",
                              "commitment_prepared", "commitment_accepted", "deficiency_missed", "breach_reported",
                              "absence_justified", "absence_unjustified", "key_attention_proposed",
                              "defence_filed", "defence_waived"})
REASONED = frozenset({"outcome", "supplement_requested"})  # decisions the applicant is told the reason of
APPLICANT_STEPS = frozenset({"supplement", "confirm", "supply", "state_defence", "statement"})  # the applicant's own tasks


@dataclass(frozen=True)
class MyCase:
    """A case of mine with its open tasks and, for an interview, its latest schedule."""

    case: Case
    tasks: list[HumanTask]
    schedule: dict[str, Any] | None = None


@dataclass(frozen=True)
class MyHome:
    subject: dict[str, Any]  # with `rows`: RecordRows
    cases: list[MyCase]
    notices: list[Notification]


@dataclass(frozen=True)
class MyCasePage:
    """Everything the applicant's case page shows, and which of their steps are open."""

    mine: MyCase
    document: dict[str, Any]
    supplement: HumanTask | None
    supplement_items: list[str]
    attachments: list[Attachment]
    commitment: Commitment | None
    confirm: HumanTask | None
    supply: HumanTask | None
    withdrawable: bool
    statement: HumanTask | None = None  # 陈述申辩 against a proposed breach finding


@dataclass(frozen=True)
class CommitmentChoices:
    departments: list[tuple[str, str]]
    version: int | None
    text: str


def my_home(store: Store, specs: SpecLibrary, actor: Actor, now: datetime) -> MyHome:
    """My subject and records (with what I may file today), my cases, my unread notices."""
    code = actor.subject_code or ""
    with store.read() as session:
        subject = my_subject(session, code, RuleBook(specs.current), to_local(now).date())
        return MyHome(subject, _my_cases(session, code), unread_notifications(session, actor.username))


def my_case_page(store: Store, actor: Actor, case_id: int) -> MyCasePage:
    code = actor.subject_code or ""
    with store.read() as session:
        case = _own_case(session, code, case_id)
        supplement = _open_supplement(session, case_id)
        commitment = case.kind == "commitment"
        return MyCasePage(
            _with_schedule(session, case, _open_tasks(session, case_id)), case_document(session, actor, case),
            supplement, _supplement_items(session, case_id) if supplement else [],
            _subject_attachments(session, case_id, code),
            commitment_of_case(session, case_id) if commitment else None,
            open_task(session, case_id, "confirm") if commitment else None,
            open_task(session, case_id, "supply") if commitment else None, may_withdraw(actor, case),
            open_task(session, case_id, "statement") if commitment else None)


def my_open_task(store: Store, actor: Actor, case_id: int, bpmn_id: str) -> HumanTask | None:
    """The open step `bpmn_id` of my own case (another subject's case is NotFound)."""
    with store.read() as session:
        _own_case(session, actor.subject_code or "", case_id)
        return open_task(session, case_id, bpmn_id)


def my_commitment_list(store: Store, code: str) -> list[tuple[Commitment, list[HumanTask], list[Letter]]]:
    """My register rows, newest first, each with its case's open tasks and letters."""
    with store.read() as session:
        rows = _my_commitments(session, code)
        case_ids = [row.case_id for row in rows if row.case_id is not None]
        tasks, letters = tasks_by_case(session, case_ids), letters_by_case(session, case_ids)
    return [(row, tasks.get(row.case_id or 0, []), letters.get(row.case_id or 0, [])) for row in rows]


def commitment_choices(store: Store, commitment_type: str | None) -> CommitmentChoices:
    """The departments that accept commitments and, once a type is chosen, its text in force."""
    with store.read() as session:
        version, text = current_template(session, commitment_type) if commitment_type else (None, "")
        return CommitmentChoices(_all_departments(session), version, text)


def _my_cases(session: Session, code: str, limit: int = 100) -> list[MyCase]:
    """Newest first, each with its open tasks (the projection, never the workflow JSON)."""
    cases = list(session.scalars(select(Case).where(Case.subject_code == code, Case.kind.not_in(FILER_KINDS))
                                 .order_by(Case.id.desc()).limit(limit)))
    tasks = tasks_by_case(session, [case.id for case in cases])
    schedules = latest_schedules(session, [c.id for c in cases if c.kind == "interview" and c.status == "running"])
    return [MyCase(case, tasks[case.id], schedules.get(case.id)) for case in cases]


def _with_schedule(session: Session, case: Case, tasks: list[HumanTask]) -> MyCase:
    running_interview = case.kind == "interview" and case.status == "running"
    return MyCase(case, tasks, latest_schedules(session, [case.id]).get(case.id) if running_interview else None)


def _own_case(session: Session, code: str, case_id: int) -> Case:
    """Stricter than `readable_case`: the portal shows only the applicant's own subject."""
    case = session.get(Case, case_id)
    if case is None or case.subject_code != code or case.kind in FILER_KINDS:  # binding requests: bindings page
        raise NotFound("案件不存在")
    return case


def _open_tasks(session: Session, case_id: int) -> list[HumanTask]:
    query = (select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "ready")
             .order_by(HumanTask.created_at))
    return list(session.scalars(query))


def _open_supplement(session: Session, case_id: int) -> HumanTask | None:
    return open_task(session, case_id, "supplement")


def open_task(session: Session, case_id: int, bpmn_id: str) -> HumanTask | None:
    query = select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                    HumanTask.state == "ready")
    return session.scalars(query).first()


def _all_departments(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every department, for choosing where a commitment is accepted."""
    return [(code, name) for code, name in session.execute(select(Department.code, Department.name)
                                                           .order_by(Department.code))]


def _my_commitments(session: Session, code: str, limit: int = 200) -> list[Commitment]:
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


def _supplement_items(session: Session, case_id: int) -> list[str]:
    """What the reviewer asked for in the latest supplement request."""
    query = (select(CaseEvent.after).where(CaseEvent.case_id == case_id,
                                           CaseEvent.kind == "supplement_requested")
             .order_by(CaseEvent.id.desc()).limit(1))
    after = session.scalars(query).first() or {}
    return [str(item) for item in after.get("items", [])]


def applicant_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline without internal steps; the applicant's own steps (supplement, signature) count.
    An outcome or a supplement request carries the reason the office gave with its decision."""
    shown, reason = [], ""
    for event in events:
        if event["kind"] == "task_completed" and event["bpmn_id"] not in APPLICANT_STEPS:
            reason = _reason(event)
        if event["kind"] in REASONED and reason:
            event = {**event, "summary": f"{event['summary']}。理由：{reason}"}
        if event["kind"] in APPLICANT_EVENTS or (event["kind"] == "task_completed" and event["bpmn_id"] in APPLICANT_STEPS):
            shown.append(event)
    return shown


def _reason(event: dict[str, Any]) -> str:
    value = ((event.get("after") or {}).get("data") or {}).get("reason")
    return value.strip() if isinstance(value, str) else ""


def latest_event(events: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((e for e in reversed(events) if e["kind"] == kind), None)


def filed_request(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the applicant filed, as the `case_started` audit entry recorded it."""
    started = latest_event(events, "case_started")
    return dict(((started or {}).get("after") or {}).get("data") or {})


def _subject_attachments(session: Session, case_id: int, code: str) -> list[Attachment]:
    """Files uploaded by the accounts of this subject (staff working papers stay on the desk)."""
    users = select(User.username).where(User.subject_code == code)
    query = (select(Attachment).where(Attachment.case_id == case_id, Attachment.uploaded_by.in_(users))
             .options(defer(Attachment.data)).order_by(Attachment.uploaded_at, Attachment.id))
    return list(session.scalars(query))
