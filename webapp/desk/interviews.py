"""Desk pages for interviews: start one from a record or a warning, and the interview calendar."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.core.clock import to_local
from workflows.core.errors import CaseError
from workflows.kinds.interview.desk import interview_calendar as calendar_of
from workflows.kinds.interview.desk import interview_source
from workflows.kinds.interview.filing import file_interview
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS

from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime
from .blueprint import bp


@bp.route("/interviews/new", methods=["GET", "POST"])
@login_required_permission("may_schedule_interview")
def new_interview():
    runtime, actor = get_runtime(), current_actor()
    source = interview_source(runtime.store, request.values.get("warning", type=int),
                              request.values.get("record", type=int), actor)
    subject_code, records, warning = source.subject_code, source.records, source.warning
    if subject_code is None:
        flash(_("Start an interview from a record or a warning."), "warning")
        return redirect(url_for("records.index"))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {"record_ids": request.form.getlist("record_ids"), "warning_id": request.form.get("warning"),
                "interview_kind": request.form.get("interview_kind"), "scheduled_at": _moment(request.form.get("scheduled_at")),
                "place": request.form.get("place", ""), "officers": request.form.get("officers", "").split("、"),
                "reason": request.form.get("reason", ""),
                "materials": [m for m in request.form.get("materials", "").splitlines() if m.strip()]}
        try:
            case = file_interview(runtime.engine, actor, subject_code, form)
            flash(_("Interview scheduled; the notice has been issued."), "success")
            return redirect(url_for("desk.case_page", case_id=case.id))
        except CaseError as err:
            errors, status = {**err.fields, "_": err.message}, err.http_status
    return render_template("desk/interview_new.html", records=records, warning=warning, kinds=INTERVIEW_KINDS,
                           errors=errors, form=request.form, subject_code=subject_code,
                           preselected=source.preselected,
                           earliest=to_local(runtime.clock.now()).strftime("%Y-%m-%dT%H:%M")), status


@bp.get("/interviews")
@login_required_permission("may_see_interview_calendar")
def interview_calendar():
    """Upcoming interviews by day (the department's own unless supervisor or admin)."""
    days = calendar_of(get_runtime().store, current_actor())
    return render_template("desk/interview_calendar.html", days=days)


def _moment(value: str | None) -> str:
    """A datetime-local input has no offset: it is Asia/Shanghai time."""
    value = (value or "").strip()
    return value + ":00+08:00" if len(value) == 16 else value
