"""`/portal/`: my subject, my records (with when repair may be asked), my cases, my notices."""
from __future__ import annotations

from datetime import datetime

from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.clock import to_local
from workflows.engine.models import Case, HumanTask
from workflows.records import KIND_NAMES, SEVERITY_NAMES
from workflows.engine.rules import RuleBook

from ..auth.identity import login_required_roles
from ..runtime import get_runtime
from . import bp
from .common import CASE_LABELS, STATUS_BADGES, STATUS_LABELS, applicant, cn_date, local_time, outcome_label
from .commitment_view import commitment_expectation
from .queries import APPLICANT_STEPS, mark_read, my_cases, my_subject, unread_notifications


@dataclass(frozen=True)
class CaseRow:
    case: Case
    status: str
    expectation: str
    action_needed: bool  # the applicant, not the office, must act next


@bp.get("/")
@login_required_roles("applicant")
def home() -> str:
    runtime, actor = get_runtime(), applicant()
    today = to_local(runtime.clock.now()).date()
    with runtime.store.read() as session:
        subject = my_subject(session, actor.subject_code, RuleBook(runtime.specs.current), today)
        cases = [_case_row(case, tasks) for case, tasks in my_cases(session, actor.subject_code)]
        notices = unread_notifications(session, actor.username)
    return render_template("portal/home.html", subject=subject, cases=cases, notices=notices,
                           status_labels=STATUS_LABELS, status_badges=STATUS_BADGES, cn_date=cn_date,
                           kind_names=KIND_NAMES, severity_names=SEVERITY_NAMES)


@bp.post("/notifications/<int:notification_id>/read")
@login_required_roles("applicant")
def read_notification(notification_id: int) -> Response:
    _mark(notification_id)
    return redirect(url_for("portal.home"))


@bp.post("/notifications/read")
@login_required_roles("applicant")
def read_all_notifications() -> Response:
    if _mark(None):
        flash(_("All notifications were marked as read."), "success")
    return redirect(url_for("portal.home"))


def _mark(notification_id: int | None) -> int:
    """Only the user's own notifications: another user's id is a 404 (NotFound)."""
    runtime, actor = get_runtime(), applicant()
    with runtime.store.write() as uow:
        count = mark_read(uow.session, actor.username, notification_id, runtime.clock.now())
        uow.commit()
    return count


def _case_row(case: Case, tasks: list[HumanTask]) -> CaseRow:
    status = str(CASE_LABELS.get(case.status, case.status))
    if case.outcome:
        status = f"{status} · {outcome_label(case)}"
    return CaseRow(case, status, expectation(case, tasks), any(t.bpmn_id in APPLICANT_STEPS for t in tasks))


def interview_expectation(case: Case) -> str:
    """Where and when to attend (the latest schedule, after any rescheduling)."""
    if case.status != "running":
        return ""
    from sqlalchemy import select

    from workflows.engine.models import CaseEvent
    with get_runtime().store.read() as session:
        event = session.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind.in_(("interview_scheduled", "interview_rescheduled")))
            .order_by(CaseEvent.id.desc()).limit(1)).first()
    if event is None or not event.after:
        return _("Being processed.")
    when = datetime.fromisoformat(event.after["scheduled_at"]).strftime("%Y-%m-%d %H:%M")
    return _("Please attend the interview at %(place)s on %(when)s.", place=event.after.get("place", ""), when=when)


def expectation(case: Case, tasks: list[HumanTask]) -> str:
    """What the applicant must do, and by when; or who is working on it, and until when."""
    if case.kind == "commitment":
        return commitment_expectation(case, tasks)
    if case.kind == "interview":
        return interview_expectation(case)
    supplement = next((t for t in tasks if t.bpmn_id == "supplement"), None)
    if supplement is not None:
        if supplement.due_at is None:
            return _("Please supplement the materials.")
        return _("Please supplement the materials before %(due)s", due=local_time(supplement.due_at))
    if case.status != "running":
        return ""
    review = next((t for t in tasks if t.due_at is not None), None)
    if review is not None and review.bpmn_id == "verify":
        return _("The department is verifying the record; reply due by %(due)s", due=local_time(review.due_at))
    if review is not None:
        return _("Under review; decision due by %(due)s", due=local_time(review.due_at))
    return _("Being processed.")
