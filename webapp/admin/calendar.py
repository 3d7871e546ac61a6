"""`/admin/calendar`: list, add and remove working-day overrides; check a single day.

The holidays package only knows published State Council notices, so each November the
admin enters next year's 调休 here (API twins: /api/v1/calendar/overrides).
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.administration.calendar import (
    check_day,
    clear_day,
    confirm_year,
    missing_official_year,
    overrides_page,
    set_day,
    unconfirm_year,
    year_statuses,
)
from workflows.core.clock import to_local
from workflows.core.errors import InvalidInput, RuleViolation

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .forms import CheckDayForm, ConfirmYearForm, OverrideForm


@bp.get("/calendar")
@login_required_permission("may_manage_calendar")
def calendar() -> str:
    return _page(OverrideForm())


@bp.post("/calendar")
@login_required_permission("may_manage_calendar")
def add_override() -> Response | tuple[str, int]:
    form = OverrideForm()
    if not form.validate():
        return _page(form), 400
    try:
        set_day(get_runtime().calendar, current_actor(), form.day.data, form.working, (form.note.data or "").strip())
    except RuleViolation as err:
        form.day.errors.append(err.fields.get("day", err.message))
        return _page(form), 422
    except InvalidInput as err:
        form.note.errors.append(err.message)
        return _page(form), 400
    flash(_("The override for %(day)s was saved.", day=form.day.data.isoformat()), "success")
    return redirect(url_for("admin.calendar"))


@bp.post("/calendar/years")
@login_required_permission("may_manage_calendar")
def confirm_calendar_year() -> Response | tuple[str, int]:
    form = ConfirmYearForm()
    if not form.validate():
        return _page(OverrideForm(formdata=None), year_form=form), 400
    try:
        confirm_year(get_runtime().calendar, current_actor(), form.year.data, (form.note.data or "").strip())
    except InvalidInput as err:
        form.year.errors.append(err.message)
        return _page(OverrideForm(formdata=None), year_form=form), 400
    flash(_("%(year)d is confirmed: its deadlines are no longer provisional.", year=form.year.data), "success")
    return redirect(url_for("admin.calendar"))


@bp.post("/calendar/years/<int:year>/unconfirm")
@login_required_permission("may_manage_calendar")
def unconfirm_calendar_year(year: int) -> Response:
    if unconfirm_year(get_runtime().calendar, current_actor(), year):
        flash(_("%(year)d is no longer confirmed: its deadlines are provisional again.", year=year), "success")
    else:
        flash(_("%(year)d was not confirmed.", year=year), "warning")
    return redirect(url_for("admin.calendar"))


@bp.post("/calendar/<day>/remove")
@login_required_permission("may_manage_calendar")
def remove_override(day: str) -> Response:
    parsed = _parse_day(day)
    try:
        removed = clear_day(get_runtime().calendar, current_actor(), parsed)
    except RuleViolation as err:
        flash(err.fields.get("day", err.message), "danger")
        return redirect(url_for("admin.calendar"))
    if removed:
        flash(_("The override for %(day)s was removed.", day=parsed.isoformat()), "success")
    else:
        flash(_("There is no override for %(day)s.", day=parsed.isoformat()), "warning")
    return redirect(url_for("admin.calendar"))


def _page(form: OverrideForm, year_form: ConfirmYearForm | None = None) -> str:
    runtime = get_runtime()
    checking = "check" in request.args
    check_form = CheckDayForm(formdata=request.args if checking else None)
    (rows, names), checked = overrides_page(runtime.store), None
    if checking and check_form.validate():
        checked = check_day(runtime.store, runtime.calendar.get(), check_form.check.data)
    today = to_local(runtime.clock.now()).date()
    years, year_names = year_statuses(runtime.store, today)
    return render_template("admin/calendar.html", form=form, check_form=check_form, rows=rows, names=names,
                           checked=checked, missing_year=missing_official_year(today, runtime.store),
                           years=years, year_names=year_names, year_form=year_form or ConfirmYearForm(formdata=None))


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)
