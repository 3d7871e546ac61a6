"""`/admin/departments`: register, rename, deactivate departments; their letters' issuer
details and seal (API twins: /api/v1/admin/departments)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import Field

from workflows.administration.departments import (
    IssuerDetails,
    SealTooLarge,
    create_department,
    departments_page,
    find_department,
    rename_department,
    set_department_active,
    set_issuer_details,
    set_seal,
)
from workflows.administration.certificates import certificate_of
from workflows.core.errors import CaseError, Conflict, InvalidInput
from workflows.core.models.people import Department

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .people_forms import CertificateForm, DepartmentForm, IssuerForm, RenameForm, SealForm

REFUSALS = (InvalidInput, Conflict)  # shown under the form; NotFound and Forbidden are pages
PERMISSION = "may_manage_departments"
PAGE = 50


@bp.get("/departments")
@login_required_permission(PERMISSION)
def departments() -> str:
    return _list_page(DepartmentForm())


@bp.post("/departments")
@login_required_permission(PERMISSION)
def add_department() -> Response | tuple[str, int]:
    form = DepartmentForm()
    if not form.validate():
        return _list_page(form), 400
    runtime = get_runtime()
    try:
        department = create_department(runtime.store, current_actor(), form.code.data, form.name.data,
                                       runtime.clock.now(), runtime.settings.department_code_pattern)
    except REFUSALS as err:
        _place(err, form.code if "code" in err.fields else form.name)
        return _list_page(form), 400
    flash(_("Department %(code)s was registered.", code=department.code), "success")
    return redirect(url_for("admin.department", code=department.code))


@bp.get("/departments/<code>")
@login_required_permission(PERMISSION)
def department(code: str) -> str:
    found = _found(code)
    return _detail_page(found, rename=RenameForm(name=found.name), issuer=_issuer_form(found))


@bp.post("/departments/<code>/rename")
@login_required_permission(PERMISSION)
def rename(code: str) -> Response | tuple[str, int]:
    found, form = _found(code), RenameForm()
    try:
        if form.validate():
            rename_department(get_runtime().store, current_actor(), code, form.name.data, get_runtime().clock.now())
            flash(_("The department was renamed."), "success")
            return redirect(url_for("admin.department", code=found.code))
    except REFUSALS as err:
        _place(err, form.name)
    return _detail_page(found, rename=form, issuer=_issuer_form(found)), 400


@bp.post("/departments/<code>/issuer")
@login_required_permission(PERMISSION)
def issuer(code: str) -> Response | tuple[str, int]:
    found, form = _found(code), IssuerForm()
    try:
        if form.validate():
            details = IssuerDetails(form.issuer_name.data or "", form.address.data or "", form.phone.data or "",
                                    form.prefix_map(), masthead_name=form.masthead_name.data or "")
            set_issuer_details(get_runtime().store, current_actor(), code, details, get_runtime().clock.now())
            flash(_("The issuer details were saved."), "success")
            return redirect(url_for("admin.department", code=found.code))
    except REFUSALS as err:
        _place_issuer(err, form)
    return _detail_page(found, rename=RenameForm(name=found.name), issuer=form), 400


@bp.post("/departments/<code>/seal")
@login_required_permission(PERMISSION)
def seal(code: str) -> Response | tuple[str, int]:
    found, form = _found(code), SealForm()
    try:
        if form.validate():
            set_seal(get_runtime().store, current_actor(), code, form.seal.data.read(), get_runtime().clock.now())
            flash(_("The seal image was saved."), "success")
            return redirect(url_for("admin.department", code=found.code))
    except (*REFUSALS, SealTooLarge) as err:
        _place(err, form.seal)
    return _detail_page(found, rename=RenameForm(name=found.name), issuer=_issuer_form(found), seal=form), 400


@bp.post("/departments/<code>/deactivate")
@login_required_permission(PERMISSION)
def deactivate(code: str) -> Response:
    set_department_active(get_runtime().store, current_actor(), code, False, get_runtime().clock.now())
    flash(_("The department was deactivated."), "success")
    return redirect(url_for("admin.departments"))


@bp.post("/departments/<code>/activate")
@login_required_permission(PERMISSION)
def activate(code: str) -> Response:
    set_department_active(get_runtime().store, current_actor(), code, True, get_runtime().clock.now())
    flash(_("The department was reactivated."), "success")
    return redirect(url_for("admin.departments"))


def _found(code: str) -> Department:
    found = find_department(get_runtime().store, code)
    if found is None:
        abort(404)
    return found


def _place(err: CaseError, field: Field) -> None:
    field.errors = [*field.errors, err.message]


def _place_issuer(err: CaseError, form: IssuerForm) -> None:
    """The masthead's own message under its field; anything else under the issuer name."""
    if "masthead_name" in err.fields:
        form.masthead_name.errors = [*form.masthead_name.errors, err.fields["masthead_name"]]
    if set(err.fields) - {"masthead_name"} or not err.fields:
        _place(err, form.issuer_name)


def _issuer_form(found: Department) -> IssuerForm:
    prefixes = "\n".join(f"{key}={value}" for key, value in (found.number_prefixes or {}).items())
    return IssuerForm(issuer_name=found.issuer_name, masthead_name=found.masthead_name, address=found.address,
                      phone=found.phone, prefixes=prefixes)


def _list_page(form: DepartmentForm) -> str:
    page = departments_page(get_runtime().store, request.args.get("page"), PAGE)
    return render_template("admin/departments.html", form=form, rows=page.items, page=page,
                           pattern=get_runtime().settings.department_code_pattern)


def _detail_page(found: Department, *, rename: RenameForm, issuer: IssuerForm, seal: SealForm | None = None,
                 key: CertificateForm | None = None) -> str:
    return render_template("admin/department.html", department=found, rename=rename, issuer=issuer,
                           seal=seal or SealForm(), key=key or CertificateForm(), certificate=certificate_of(found))
