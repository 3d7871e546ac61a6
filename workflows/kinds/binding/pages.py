"""What the portal reads about bindings and binding requests, each page in one session.

`/portal/subjects` (我的主体) is for every applicant account, bound or not: its bindings, its
own requests, its notices and — for a holder of the subject it acts for — the accounts bound
to that subject and the requests pending for it (授权管理). A request page is the filer's
(everything, with the supplement and withdrawal) or a holder's of its subject (the summary
only: who asks, as what); anyone else gets NotFound.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case, HumanTask, Notification
from workflows.core.models.people import Subject, SubjectBinding, User
from workflows.core.store import Store
from workflows.engine.case_view import case_document, may_read_case
from workflows.kinds.binding.vocabulary import KIND
from workflows.kinds.common.applicant_views import (
    applicant_events,
    filed_request,
    open_task,
    tasks_by_case,
)
from workflows.kinds.common.attachments import list_attachments
from workflows.kinds.common.case_messages import may_withdraw
from workflows.people.access import Actor
from workflows.people.bindings import active_bindings, bindings_of_subject, is_holder
from workflows.people.notices import unread_notifications

MAX_LISTED = 50


@dataclass(frozen=True)
class ManagedSubject:
    """授权管理: what a holder sees of the subject it acts for."""

    subject: Subject
    bindings: list[tuple[SubjectBinding, User]]
    pending: list[Case]


@dataclass(frozen=True)
class MySubjectsPage:
    bindings: list[tuple[SubjectBinding, Subject]]
    acting: str | None
    requests: list[tuple[Case, list[HumanTask]]]
    managed: ManagedSubject | None
    notices: list[Notification]


@dataclass(frozen=True)
class BindingRequestPage:
    case: Case
    filed: dict[str, Any]
    is_filer: bool  # False: a holder of the subject, shown the summary only
    document: dict[str, Any] | None
    events: list[dict[str, Any]]
    attachments: list[Attachment]
    supplement: HumanTask | None
    supplement_items: list[str]
    withdrawable: bool


def my_subjects_page(store: Store, actor: Actor, user_id: int, now: datetime) -> MySubjectsPage:
    with store.read() as session:
        bindings = [(b, session.get(Subject, b.subject_code)) for b in active_bindings(session, user_id, now)]
        requests = _my_requests(session, actor.username)
        code = actor.subject_code
        managed = _managed(session, code, now) if code and is_holder(session, actor, code, now) else None
        return MySubjectsPage(bindings, code, requests, managed, unread_notifications(session, actor.username))


def binding_request_page(store: Store, actor: Actor, case_id: int, now: datetime) -> BindingRequestPage:
    with store.read() as session:
        case = session.get(Case, case_id)
        if case is None or case.kind != KIND:
            raise NotFound("申请不存在")
        if may_read_case(actor, case):
            document = case_document(session, actor, case)
            supplement = open_task(session, case.id, "supplement")
            return BindingRequestPage(
                case, filed_request(document["events"]), True, document, applicant_events(document["events"]),
                list_attachments(session, case.id), supplement,
                _supplement_items(document["events"]) if supplement else [], may_withdraw(actor, case))
        code = actor.subject_code
        if code is None or case.subject_code != code or not is_holder(session, actor, code, now):
            raise NotFound("申请不存在")
        document = case_document(session, actor, case)
        return BindingRequestPage(case, _summary(filed_request(document["events"])), False, None, [], [], None, [],
                                  False)


def my_open_supplement(store: Store, actor: Actor, case_id: int) -> HumanTask | None:
    """The open supplement step of my own request (anyone else's is NotFound)."""
    with store.read() as session:
        case = session.get(Case, case_id)
        if case is None or case.kind != KIND or not may_read_case(actor, case):
            raise NotFound("申请不存在")
        return open_task(session, case_id, "supplement")


def _my_requests(session: Session, username: str) -> list[tuple[Case, list[HumanTask]]]:
    query = (select(Case).where(Case.kind == KIND, Case.created_by == username)
             .order_by(Case.id.desc()).limit(MAX_LISTED))
    cases = list(session.scalars(query))
    tasks = tasks_by_case(session, [c.id for c in cases])
    return [(case, tasks[case.id]) for case in cases]


def _managed(session: Session, code: str, now: datetime) -> ManagedSubject | None:
    subject = session.get(Subject, code)
    if subject is None:
        return None
    pending = session.scalars(select(Case).where(Case.kind == KIND, Case.status == "running",
                                                 Case.subject_code == code).order_by(Case.id).limit(MAX_LISTED))
    return ManagedSubject(subject, bindings_of_subject(session, code, now), list(pending))


def _summary(filed: dict[str, Any]) -> dict[str, Any]:
    """What a holder is shown of someone else's request: not the filer's documents."""
    return {key: filed.get(key) for key in ("subject_name", "relation", "valid_until", "filer_name")}


def _supplement_items(events: list[dict[str, Any]]) -> list[str]:
    asked = [e for e in events if e["kind"] == "supplement_requested"]
    return [str(item) for item in ((asked[-1].get("after") or {}).get("items", []) if asked else [])]
