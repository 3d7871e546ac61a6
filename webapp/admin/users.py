"""`/admin/users`: accounts with their display names, roles and bindings; create, edit,
disable and enable, reset a password (API twins: /api/v1/admin/users)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.administration.users import (
    Profile,
    add_user,
    get_user,
    users_page,
    reset_password,
    set_user_active,
    update_user,
)
from workflows.core.errors import CaseError, Conflict, InvalidInput
from workflows.core.identifiers import mask_subject_code
from workflows.core.models.people import User
from workflows.people.access import ROLES

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .people_forms import NewUserForm, ProfileForm, ResetPasswordForm

REFUSALS = (InvalidInput, Conflict)
PERMISSION = "may_manage_users"
PAGE = 50
FIELDS = {"role": "roles", "subject": "subject_code", "department": "department_code"}


@bp.get("/users")
@login_required_permission(PERMISSION)
def users() -> str:
    return _list_page(NewUserForm())


@bp.post("/users")
@login_required_permission(PERMISSION)
def add_user_page() -> Response | tuple[str, int]:
    form = NewUserForm()
    try:
        if form.validate():
            runtime = get_runtime()
            user = add_user(runtime.store, current_actor(), form.username.data, form.password.data,
                            _profile(form), runtime.clock.now())
            flash(_("User %(name)s was created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    except REFUSALS as err:
        _show(form, err)
    return _list_page(form), 400


@bp.get("/users/<username>")
@login_required_permission(PERMISSION)
def user(username: str) -> str:
    found = _found(username)
    return _detail_page(found, _profile_form(found), ResetPasswordForm())


@bp.post("/users/<username>")
@login_required_permission(PERMISSION)
def edit_user(username: str) -> Response | tuple[str, int]:
    found, form = _found(username), ProfileForm()
    try:
        if form.validate():
            update_user(get_runtime().store, current_actor(), username, _profile(form), get_runtime().clock.now())
            flash(_("User %(name)s was saved.", name=username), "success")
            return redirect(url_for("admin.users"))
    except REFUSALS as err:
        _show(form, err)
    return _detail_page(found, form, ResetPasswordForm()), 400


@bp.post("/users/<username>/password")
@login_required_permission(PERMISSION)
def reset_user_password(username: str) -> Response | tuple[str, int]:
    found, form = _found(username), ResetPasswordForm()
    try:
        if form.validate():
            reset_password(get_runtime().store, current_actor(), username, form.password.data, get_runtime().clock.now())
            flash(_("The password of %(name)s was reset; they must change it at the next sign-in.", name=username),
                  "success")
            return redirect(url_for("admin.users"))
    except REFUSALS as err:
        form.password.errors = [*form.password.errors, err.message]
    return _detail_page(found, _profile_form(found), form), 400


@bp.post("/users/<username>/disable")
@login_required_permission(PERMISSION)
def disable_user(username: str) -> Response:
    return _set_active(username, False)


@bp.post("/users/<username>/enable")
@login_required_permission(PERMISSION)
def enable_user(username: str) -> Response:
    return _set_active(username, True)


def _set_active(username: str, active: bool) -> Response:
    try:
        set_user_active(get_runtime().store, current_actor(), username, active, get_runtime().clock.now())
    except Conflict as err:
        flash(err.message, "danger")
        return redirect(url_for("admin.users"))
    flash(_("User %(name)s was enabled.", name=username) if active
          else _("User %(name)s was disabled.", name=username), "success")
    return redirect(url_for("admin.users"))


def _profile(form: ProfileForm) -> Profile:
    return Profile(tuple(form.roles.data or ()), (form.display_name.data or "").strip(),
                   (form.subject_code.data or "").strip() or None, (form.department_code.data or "").strip() or None,
                   (form.email.data or "").strip())


def _show(form: ProfileForm, err: CaseError) -> None:
    """Each domain message under its field; the rest on top."""
    placed = False
    for key, message in err.fields.items():
        field = getattr(form, FIELDS.get(key, key), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
            placed = True
    if not placed or err.message not in err.fields.values():
        flash(err.message, "danger")


def _profile_form(found: User) -> ProfileForm:
    return ProfileForm(formdata=None, display_name=found.display_name, roles=sorted(found.role_set),
                       subject_code=found.subject_code or "", department_code=found.department_code or "",
                       email=found.email or "")


def _found(username: str) -> User:
    found = get_user(get_runtime().store, username)
    if found is None:
        abort(404)
    return found


def _list_page(form: NewUserForm) -> str:
    text = request.args.get("q", "")
    page = users_page(get_runtime().store, text, request.args.get("page"), PAGE)
    return render_template("admin/users.html", form=form, rows=page.items, page=page, q=text, roles=ROLES,
                           mask=mask_subject_code)


def _detail_page(found: User, profile: ProfileForm, reset: ResetPasswordForm) -> str:
    return render_template("admin/user.html", user=found, profile=profile, reset=reset)
