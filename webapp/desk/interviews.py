"""Desk pages for interviews: start one from a record or a warning, and the interview calendar."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from workflows.core.clock import to_local
from workflows.core.errors import CaseError
from workflows.kinds.interview.filing import file_interview
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS
from workflows.engine.models import Case, CaseEvent
from workflows.records.models import CreditRecord
from workflows.warnings.models import EarlyWarning

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime

OFFICERS = ("department", "supervisor", "admin")
SCHEDULE_EVENTS = ("interview_scheduled", "interview_rescheduled")


def register(bp) -> None:
    bp.add_url_rule("/interviews/new", "new_interview", new_interview, methods=["GET", "POST"])
    bp.add_url_rule("/interviews", "interview_calendar", interview_calendar)


@login_required_roles(*OFFICERS)
def new_interview():
    runtime, actor = get_runtime(), current_actor()
    with runtime.store.read() as session:
        subject_code, records, warning = _source(session)
    if subject_code is None:
        flash(_("Start an interview from a record or a warning."), "warning")
        return redirect(url_for("desk.index"))
    errors: dict[str, str] = {}
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
            errors = {**err.fields, "_": err.message}
    return render_template("desk/interview_new.html", records=records, warning=warning, kinds=INTERVIEW_KINDS,
                           errors=errors, form=request.form, subject_code=subject_code)


@login_required_roles(*OFFICERS, "reviewer", "auditor")
def interview_calendar():
    """Upcoming interviews by day (the department's own unless supervisor or admin)."""
    runtime, actor = get_runtime(), current_actor()
    with runtime.store.read() as session:
        query = select(Case).where(Case.kind == "interview", Case.status == "running")
        if actor.has("department") and not actor.has("supervisor", "admin"):
            query = query.where(Case.department_code == actor.department_code)
        cases = {c.id: c for c in session.scalars(query)}
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(cases), CaseEvent.kind.in_(SCHEDULE_EVENTS))
                                 .order_by(CaseEvent.id)) if cases else []
        latest = {e.case_id: e.after for e in events}
    days: dict[str, list] = defaultdict(list)
    for case_id, after in latest.items():
        moment = to_local(datetime.fromisoformat(after["scheduled_at"]))
        days[moment.date().isoformat()].append((moment, cases[case_id], after.get("place", "")))
    return render_template("desk/interview_calendar.html",
                           days=sorted((d, sorted(items, key=lambda i: i[0])) for d, items in days.items()))


def _source(session):
    warning = session.get(EarlyWarning, request.values.get("warning", type=int)) if request.values.get("warning") else None
    if warning is not None:
        ids = (warning.evidence or {}).get("record_ids", [])
        records = list(session.scalars(select(CreditRecord).where(CreditRecord.id.in_(ids))))
        return warning.subject_code, records, warning
    record = session.get(CreditRecord, request.values.get("record", type=int)) if request.values.get("record") else None
    if record is None:
        return None, [], None
    records = list(session.scalars(select(CreditRecord).where(
        CreditRecord.subject_code == record.subject_code, CreditRecord.department_code == record.department_code,
        CreditRecord.kind.in_(("penalty", "serious_list", "key_attention", "breach")))))
    return record.subject_code, records, None


def _moment(value: str | None) -> str:
    """A datetime-local input has no offset: it is Asia/Shanghai time."""
    value = (value or "").strip()
    return value + ":00+08:00" if len(value) == 16 else value
