"""`/desk/delegation`: out-of-office — name a substitute for a period, see and end delegations."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.clock import to_local
from workflows.core.errors import CaseError
from workflows.people.delegation import (
    DelegationRequest,
    delegate,
    delegations_of,
    end_delegation,
    substitute_choices,
)

from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime
from .blueprint import bp


@bp.get("/delegation")
@login_required_permission("may_work_tasks")
def delegation() -> str:
    return _page({})


@bp.post("/delegation")
@login_required_permission("may_work_tasks")
def delegation_create() -> Response | tuple[str, int]:
    runtime = get_runtime()
    form = request.form
    wanted = DelegationRequest(form.get("substitute"), form.get("starts_on"), form.get("ends_on"), form.get("note", ""))
    try:
        delegate(runtime.store, current_actor(), wanted, runtime.clock.now())
    except CaseError as err:
        flash(err.message, "danger")
        return _page(err.fields), err.http_status
    flash(_("Your substitute is set."), "success")
    return redirect(url_for("desk.delegation"))


@bp.post("/delegation/<int:delegation_id>/end")
@login_required_permission("may_work_tasks")
def delegation_end(delegation_id: int) -> Response:
    runtime = get_runtime()
    end_delegation(runtime.store, current_actor(), delegation_id, runtime.clock.now())
    flash(_("The delegation has ended."), "success")
    return redirect(url_for("desk.delegation"))


def _page(errors: dict[str, str]) -> str:
    runtime, actor = get_runtime(), current_actor()
    choices = substitute_choices(runtime.store, actor)
    return render_template("desk/delegation.html", errors=errors, form=request.form, choices=choices,
                           names=dict(choices), rows=delegations_of(runtime.store, actor, runtime.clock.now()),
                           today=to_local(runtime.clock.now()).date())
