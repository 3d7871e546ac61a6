"""`/portal/`: my subject, my records (with when repair may be asked), my cases, my notices."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.clock import to_local
from workflows.core.models.cases import Case
from workflows.kinds.common.applicant_views import APPLICANT_STEPS, MyCase, my_home
from workflows.people.notices import mark_notifications_read
from workflows.records import KIND_NAMES, SEVERITY_NAMES

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .commitment_view import commitment_expectation
from .common import (
    CASE_LABELS,
    STATUS_BADGES,
    STATUS_LABELS,
    account_actor,
    applicant,
    cn_date,
    local_time,
    outcome_label,
)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    status: str
    expectation: str
    action_needed: bool  # the applicant, not the office, must act next


@bp.get("/")
@login_required_permission("may_use_portal")
def home() -> str:
    runtime, actor = get_runtime(), applicant()
    home_page = my_home(runtime.store, runtime.specs, actor, runtime.clock.now())
    cases = [_case_row(mine) for mine in home_page.cases]
    return render_template("portal/home.html", subject=home_page.subject, cases=cases, notices=home_page.notices,
                           status_labels=STATUS_LABELS, status_badges=STATUS_BADGES, cn_date=cn_date,
                           kind_names=KIND_NAMES, severity_names=SEVERITY_NAMES,
                           today=to_local(runtime.clock.now()).date().isoformat())


@bp.post("/notifications/<int:notification_id>/read")
@login_required_permission("may_use_portal")
def read_notification(notification_id: int) -> Response:
    _mark(notification_id)
    return redirect(_back())


@bp.post("/notifications/read")
@login_required_permission("may_use_portal")
def read_all_notifications() -> Response:
    if _mark(None):
        flash(_("All notifications were marked as read."), "success")
    return redirect(_back())


def _back() -> str:
    """Back to the page the notices were read on (我的主体 for an account bound to nothing)."""
    return url_for("portal.subjects") if request.form.get("back") == "subjects" else url_for("portal.home")


def _mark(notification_id: int | None) -> int:
    """Only the user's own notifications: another user's id is a 404 (NotFound). Notices are
    the account's, so an account bound to no subject marks its own too."""
    runtime, actor = get_runtime(), account_actor()
    return mark_notifications_read(runtime.store, actor.username, notification_id, runtime.clock.now())


def _case_row(mine: MyCase) -> CaseRow:
    case, tasks = mine.case, mine.tasks
    status = str(CASE_LABELS.get(case.status, case.status))
    if case.outcome:
        status = f"{status} · {outcome_label(case)}"
    return CaseRow(case, status, expectation(mine), any(t.bpmn_id in APPLICANT_STEPS for t in tasks))


def interview_expectation(case: Case, schedule: dict[str, Any] | None, tasks: list | None = None) -> str:
    """Where and when to attend (the latest schedule, after any rescheduling); later, the
    statement against a proposed key-attention listing, then the department's decision."""
    if case.status != "running":
        return ""
    steps = {t.bpmn_id: t for t in tasks or []}
    if "state_defence" in steps:
        due = steps["state_defence"].due_at
        return _("You may state and defend against the proposed key-attention listing before %(due)s.",
                 due=local_time(due) if due else "")
    if "decide_listing" in steps:
        return _("The department is deciding whether to list you on the key-attention list.")
    if "conduct" not in steps or not schedule:  # attended, or absent: waiting for the follow-up
        return _("Being processed.")
    when = datetime.fromisoformat(schedule["scheduled_at"]).strftime("%Y-%m-%d %H:%M")
    return _("Please attend the interview at %(place)s on %(when)s.", place=schedule.get("place", ""), when=when)


def expectation(mine: MyCase) -> str:
    """What the applicant must do, and by when; or who is working on it, and until when."""
    case, tasks = mine.case, mine.tasks
    if case.kind == "commitment":
        return commitment_expectation(case, tasks)
    if case.kind == "interview":
        return interview_expectation(case, mine.schedule, tasks)
    supplement = next((t for t in tasks if t.bpmn_id == "supplement"), None)
    if supplement is not None:
        if supplement.due_at is None:
            return _("Please supplement the materials.")
        return _("Please supplement the materials before %(due)s", due=local_time(supplement.due_at))
    if case.status != "running":
        return ""
    review = next((t for t in tasks if t.due_at is not None), None)
    if review is not None and review.bpmn_id == "department_decision":  # repair: 谁认定、谁修复
        return _("The designating department is deciding; decision due by %(due)s", due=local_time(review.due_at))
    if review is not None and review.bpmn_id == "verify":
        return _("The department is verifying the record; reply due by %(due)s", due=local_time(review.due_at))
    if review is not None:
        return _("Under review; decision due by %(due)s", due=local_time(review.due_at))
    return _("Being processed.")
