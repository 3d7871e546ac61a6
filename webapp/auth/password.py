"""`/account/password`: change one's own password; after an admin's reset nothing else opens
until the user has done so (the temporary password was known to someone else)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from workflows.core.errors import InvalidInput
from workflows.people.users import change_password

from ..errors import api_error
from ..runtime import get_runtime
from .forms import PasswordChangeForm
from .guards import login_required_permission
from .identity import start_session
from .views import bp, landing_url

OPEN_WHILE_CHANGING = frozenset({"auth.change_password_page", "auth.logout", "auth.login", "static"})


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_permission(None)
def change_password_page() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    runtime = get_runtime()
    try:
        user = change_password(runtime.store, current_user.id, form.current.data, form.password.data,
                               runtime.clock.now())
    except InvalidInput as err:
        field = form.current if "current" in err.fields else form.password
        field.errors = [*field.errors, err.message]
        return _page(form, 400)
    session_user = start_session(user)  # the old session's fingerprint no longer matches
    flash(_("Your password has been changed."), "success")
    return redirect(landing_url(session_user.actor))


def _page(form: PasswordChangeForm, status: int) -> tuple[str, int]:
    return render_template("auth/password.html", form=form, forced=current_user.must_change_password), status


@bp.before_app_request
def require_password_change() -> Response | None:
    """A user whose password was reset may only change it (or log out)."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_WHILE_CHANGING or "Authorization" in request.headers:
        return None
    if request.path.startswith("/api/"):
        return api_error(403, "password_change_required", _("Change your password before doing anything else."))
    return redirect("/account/password")
