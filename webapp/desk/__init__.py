"""The reviewer desk: inbox sorted by due time with filters, claim/unclaim, the case page.

Lists read the `human_task` projection only; actions call the engine verbs.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.case_view import case_events, case_letters, case_tasks, readable_case, subject_document
from workflows.errors import CaseError
from workflows.queries import FILTERS, InboxFilter, inbox, inbox_counts

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime

bp = Blueprint("desk", __name__, url_prefix="/desk")
STAFF = ("reviewer", "supervisor", "department", "admin", "auditor")
WORKERS = ("reviewer", "supervisor", "department", "admin")


@bp.get("/")
@login_required_roles(*STAFF)
def index():
    runtime, actor = get_runtime(), current_actor()
    view = request.args.get("view", "group")
    view = view if view in FILTERS else "group"
    now = runtime.clock.now()
    with runtime.store.read() as session:
        rows = inbox(session, actor, _filter_for(view), now, limit=200)
        counts = inbox_counts(session, actor, now)
    return render_template("desk/inbox.html", rows=rows, counts=counts, view=view, now=now,
                           filters=FILTER_LABELS)


@bp.get("/cases/<int:case_id>")
@login_required_roles(*STAFF)
def case_page(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    with runtime.store.read() as session:
        case = readable_case(session, actor, case_id)
        context = {"case": case, "subject": subject_document(session, actor, case.subject_code),
                   "tasks": case_tasks(session, case.id), "letters": case_letters(session, case.id),
                   "events": case_events(session, case.id)}
    return render_template("desk/case.html", now=runtime.clock.now(), **context)


@bp.post("/tasks/<task_id>/<verb>")
@login_required_roles(*WORKERS)
def task_action(task_id: str, verb: str):
    engine, actor = get_runtime().engine, current_actor()
    actions = {"claim": engine.claim, "unclaim": engine.unclaim}
    if verb not in actions:
        flash(_("Unknown action."), "danger")
        return redirect(url_for("desk.index"))
    try:
        case = actions[verb](task_id, actor)
        flash(_("Task claimed.") if verb == "claim" else _("Task returned to the group."), "success")
    except CaseError as err:
        flash(err.message, "danger")
        return redirect(request.referrer or url_for("desk.index"))
    return redirect(request.form.get("next") or url_for("desk.case_page", case_id=case.id))


def _filter_for(view: str) -> InboxFilter:
    return {"mine": InboxFilter(assignee_me=True), "unclaimed": InboxFilter(unclaimed=True),
            "due_today": InboxFilter(due_today=True), "overdue": InboxFilter(overdue=True)}.get(view, InboxFilter())


FILTER_LABELS = {
    "mine": "My tasks", "group": "My group", "unclaimed": "Unclaimed",
    "due_today": "Due today", "overdue": "Overdue",
}
