"""`/desk/search`: cases and their open tasks by case number, subject name or code, record
number; filters, sort, numbered pages with the total, saved personal filters, CSV export."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.administration.departments import list_departments
from workflows.core.errors import CaseError
from workflows.search import KINDS, STATES, CaseSearch, delete_filter, export_cases, save_filter, saved_filters, search_cases
from workflows.search.cases import CaseRow

from ..auth import current_actor, login_required_permission
from ..exports import csv_download, local_time
from ..runtime import get_runtime
from .blueprint import bp

PAGE = 50


@bp.get("/search")
@login_required_permission("may_use_desk")
def search() -> str | tuple[str, int]:
    runtime, actor = get_runtime(), current_actor()
    try:
        wanted = CaseSearch.from_args(request.args)
        found = search_cases(runtime.store, actor, wanted, request.args.get("page"), PAGE)
    except CaseError as err:
        return _render(CaseSearch(), None, err), err.http_status
    return _render(wanted, found)


@bp.get("/search.csv")
@login_required_permission("may_use_desk")
def search_csv() -> Response:
    wanted = CaseSearch.from_args(request.args)  # InvalidInput: the Chinese error page
    header = [_("Case number"), _("Case kind"), _("Case state"), _("Subject"), _("Subject code"),
              _("Department code"), _("Received"), _("Next due")]
    return csv_download("cases", header, export_cases(get_runtime().store, current_actor(), wanted), _cells)


@bp.post("/search/filters")
@login_required_permission("may_use_desk")
def save_search() -> Response:
    runtime, actor = get_runtime(), current_actor()
    try:
        wanted = CaseSearch.from_args(request.form)
        saved = save_filter(runtime.store, actor, request.form.get("name", ""), wanted, runtime.clock.now())
        flash(_("Filter “%(name)s” saved.", name=saved.name), "success")
    except CaseError as err:
        flash(err.fields.get("name") or err.message, "danger")
        return redirect(url_for("desk.search", **CaseSearch.from_args(request.form).as_query()))
    return redirect(url_for("desk.search", **wanted.as_query()))


@bp.post("/search/filters/<int:filter_id>/delete")
@login_required_permission("may_use_desk")
def delete_search(filter_id: int) -> Response:
    delete_filter(get_runtime().store, current_actor(), filter_id)
    flash(_("Filter deleted."), "success")
    return redirect(url_for("desk.search"))


def _render(wanted: CaseSearch, found, error: CaseError | None = None) -> str:
    runtime, actor = get_runtime(), current_actor()
    return render_template("desk/search.html", wanted=wanted, found=found, error=error, kinds=KINDS, states=STATES,
                           departments=list_departments(runtime.store), saved=saved_filters(runtime.store, actor),
                           query=wanted.as_query(), now=runtime.clock.now())


def _cells(row: CaseRow) -> list[object]:
    return [row.id, _(row.kind), _(row.status), row.subject_name or "", row.subject_code or "",
            row.department_code or "", local_time(row.received_at), local_time(row.next_due)]
