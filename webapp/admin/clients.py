"""`/admin/clients`: system clients of other government systems — list, create, rotate the
token, revoke (API twins: /api/v1/admin/clients). A new token is shown once, on the page the
POST answers with, and never again."""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from workflows.administration.clients import (
    IssuedToken,
    NewClient,
    clients_page,
    create_client,
    revoke_client,
    rotate_token,
)
from workflows.administration.departments import list_departments
from workflows.core.errors import CaseError, Conflict, InvalidInput, NotFound

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .client_forms import SCOPE_LABELS, ClientForm

PERMISSION = "may_manage_clients"
PAGE = 50


@bp.get("/clients")
@login_required_permission(PERMISSION)
def clients() -> str:
    return _list_page(_form())


@bp.post("/clients")
@login_required_permission(PERMISSION)
def add_client() -> Response | tuple[str, int]:
    form = _form()
    try:
        if form.validate():
            runtime = get_runtime()
            spec = NewClient(form.name.data or "", tuple(form.scopes.data or ()), form.description.data or "",
                             form.department_code.data or None)
            return _token_page(create_client(runtime.store, current_actor(), spec, runtime.clock.now()), created=True)
    except (InvalidInput, Conflict) as err:
        _show(form, err)
    return _list_page(form), 400


@bp.post("/clients/<int:client_id>/rotate")
@login_required_permission(PERMISSION)
def rotate_client(client_id: int) -> Response:
    runtime = get_runtime()
    try:
        issued = rotate_token(runtime.store, current_actor(), client_id, runtime.clock.now())
    except (Conflict, NotFound) as err:
        flash(err.message, "danger")
        return redirect(url_for("admin.clients"))
    return _token_page(issued, created=False)


@bp.post("/clients/<int:client_id>/revoke")
@login_required_permission(PERMISSION)
def revoke(client_id: int) -> Response:
    runtime = get_runtime()
    try:
        client = revoke_client(runtime.store, current_actor(), client_id, runtime.clock.now())
    except NotFound as err:
        flash(err.message, "danger")
    else:
        flash(_("Client %(name)s was revoked; its token no longer works.", name=client.name), "success")
    return redirect(url_for("admin.clients"))


def _form() -> ClientForm:
    form = ClientForm()
    departments = [d for d in list_departments(get_runtime().store) if d.active]
    form.department_code.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(d.code, f"{d.code} {d.name}") for d in departments]
    return form


def _show(form: ClientForm, err: CaseError) -> None:
    """Each domain message under its field; the rest on top."""
    for key, message in err.fields.items():
        field = getattr(form, key, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
    if not err.fields or err.message not in err.fields.values():
        flash(err.message, "danger")


def _list_page(form: ClientForm) -> str:
    page = clients_page(get_runtime().store, request.args.get("page"), PAGE)
    return render_template("admin/clients.html", form=form, rows=page.items, page=page, scope_labels=SCOPE_LABELS)


def _token_page(issued: IssuedToken, *, created: bool) -> Response:
    """The one page that shows the clear token; no cache may keep it."""
    response = make_response(render_template("admin/client_token.html", client=issued.client, token=issued.token,
                                             created=created, scope_labels=SCOPE_LABELS))
    response.headers["Cache-Control"] = "no-store"
    return response
