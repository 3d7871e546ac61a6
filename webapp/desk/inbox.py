"""The desk's inbox and case page, and the task verbs (complete, claim, unclaim, reassign)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.core.errors import CaseError
from workflows.engine.inbox import FILTERS, InboxFilter
from workflows.kinds.common.desk_pages import desk_case_page, inbox_export, inbox_page

from ..api.tasks import decode_cursor, encode_cursor
from ..auth import current_actor, login_required_permission
from ..records.labels import REGIMES
from ..exports import csv_download, local_time
from ..runtime import get_runtime
from ..security import local_path
from .blueprint import bp
from .case_page import CORRECTABLE_LABELS, TASK_FORMS
from .decision import RefusedForm, decision_data

PAGE = 50
EXPORT_LIMIT = 50_000
FILTER_LABELS = {"mine": "My tasks", "group": "My group", "unclaimed": "Unclaimed",
                 "due_today": "Due today", "overdue": "Overdue"}


@bp.get("/")
@login_required_permission("may_use_desk")
def index():
    runtime, actor = get_runtime(), current_actor()
    view = request.args.get("view", "group")
    view = view if view in FILTERS else "group"
    now = runtime.clock.now()
    before = decode_cursor(request.args.get("before"))
    page = inbox_page(runtime.store, actor, _filter_for(view), now, PAGE, decode_cursor(request.args.get("after")), before)
    rows = page.rows[:PAGE]
    more = before is not None or len(page.rows) > PAGE
    next_page = encode_cursor(rows[-1][0]) if more and rows else None
    prev_page = encode_cursor(rows[0][0]) if page.has_prev and rows else None
    return render_template("desk/inbox.html", rows=rows, counts=page.counts, view=view, now=now,
                           filters=FILTER_LABELS, reviewers=page.reviewers, names=page.names, next_page=next_page,
                           prev_page=prev_page, total=page.counts.get(view, 0))


@bp.get("/tasks.csv")
@login_required_permission("may_use_desk")
def tasks_csv():
    """The tab the desk shows, every row of it (up to EXPORT_LIMIT), in its order."""
    runtime, actor = get_runtime(), current_actor()
    view = request.args.get("view", "group")
    now = runtime.clock.now()
    rows, names = inbox_export(runtime.store, actor, _filter_for(view if view in FILTERS else "group"), now,
                               EXPORT_LIMIT)
    header = [_("Case number"), _("Case kind"), _("Task"), _("Case"), _("Assignee"), _("Due"), _("Overdue")]

    def cells(row):
        task, case = row
        late = task.overdue or (task.due_at is not None and task.due_at < now)
        return [case.id, _(case.kind), task.name, case.title, names.get(task.assignee, task.assignee) or _("Unclaimed"),
                local_time(task.due_at), _("Yes") if late else ""]
    return csv_download("tasks", header, rows, cells)


@bp.get("/cases/<int:case_id>")
@login_required_permission("may_use_desk")
def case_page(case_id: int):
    return _case_page(case_id)


def _case_page(case_id: int, refused: RefusedForm | None = None, status: int = 200):
    """The case page; after a refused decision, that task's form again with its input and errors."""
    runtime, actor = get_runtime(), current_actor()
    context = desk_case_page(runtime.engine, actor, case_id)
    return render_template("desk/case.html", now=runtime.clock.now(), task_forms=TASK_FORMS,
                           correctable=CORRECTABLE_LABELS, regime_labels=REGIMES, refused=refused, **context), status


@bp.post("/tasks/<task_id>/complete")
@login_required_permission("may_work_tasks")
def complete(task_id: str):
    engine, actor = get_runtime().engine, current_actor()
    case_id = request.form.get("case_id", type=int)
    try:
        data = decision_data(request.form)
        engine.complete_task(task_id, data, actor, request.form.get("version", type=int))
        flash(_("Decision saved."), "success")
    except CaseError as err:
        if case_id and err.http_status in (400, 422):  # the form again, as typed, errors beside the fields
            return _case_page(case_id, RefusedForm(task_id, request.form, err.message, err.fields), 422)
        flash(err.message, "danger")  # field errors only beside a form's fields
    return redirect(url_for("desk.case_page", case_id=case_id) if case_id else url_for("desk.index"))


@bp.post("/tasks/<task_id>/<verb>")
@login_required_permission("may_work_tasks")
def task_action(task_id: str, verb: str):
    engine, actor = get_runtime().engine, current_actor()
    actions = {"claim": lambda: engine.claim(task_id, actor), "unclaim": lambda: engine.unclaim(task_id, actor),
               "assign": lambda: engine.assign(task_id, request.form.get("assignee", ""), actor)}
    if verb not in actions:
        flash(_("Unknown action."), "danger")
        return redirect(url_for("desk.index"))
    try:
        case = actions[verb]()
        flash({"claim": _("Task claimed."), "unclaim": _("Task returned to the group."),
               "assign": _("Task reassigned.")}[verb], "success")
    except CaseError as err:
        flash(err.message, "danger")
        return redirect(local_path(request.referrer) or url_for("desk.index"))
    return redirect(local_path(request.form.get("next")) or url_for("desk.case_page", case_id=case.id))


@bp.post("/tasks/reassign")
@login_required_permission("may_assign_tasks")
def bulk_reassign():
    """Hand several tasks to one reviewer; each is its own step, failures are listed."""
    engine, actor = get_runtime().engine, current_actor()
    assignee, ids = request.form.get("assignee", ""), request.form.getlist("task_ids")
    if not assignee or not ids:
        flash(_("Choose tasks and a reviewer."), "warning")
        return redirect(url_for("desk.index"))
    failed = []
    for task_id in ids:
        try:
            engine.assign(task_id, assignee, actor)
        except CaseError as err:
            failed.append(err.message)
    flash(_("%(n)d task(s) reassigned.", n=len(ids) - len(failed)), "success" if not failed else "warning")
    for message in sorted(set(failed)):
        flash(message, "danger")
    return redirect(local_path(request.form.get("next")) or url_for("desk.index"))


def _filter_for(view: str) -> InboxFilter:
    return {"mine": InboxFilter(assignee_me=True), "unclaimed": InboxFilter(unclaimed=True),
            "due_today": InboxFilter(due_today=True), "overdue": InboxFilter(overdue=True)}.get(view, InboxFilter())
