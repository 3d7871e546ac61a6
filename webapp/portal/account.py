"""`/portal/register`: an applicant opens an account (no subject yet), then is logged in."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from workflows.core.errors import InvalidInput
from workflows.people.registration import Registration, register_applicant

from ..auth.identity import start_session
from ..auth.views import landing_url
from ..runtime import get_runtime
from .blueprint import bp
from .common import show_errors
from .forms import RegisterForm


@bp.route("/register", methods=["GET", "POST"])
def register() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(landing_url(current_user.actor))
    form = RegisterForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    runtime = get_runtime()
    try:
        user = register_applicant(runtime.store, _registration(form), runtime.clock.now())
    except InvalidInput as err:
        show_errors(form, err)
        return _page(form, 400)
    start_session(user)  # as at login
    flash(_("Your account has been created. Welcome!"), "success")
    return redirect(url_for("portal.home"))


def _registration(form: RegisterForm) -> Registration:
    return Registration(form.username.data.strip(), form.password.data, form.display_name.data.strip(),
                        (form.phone.data or "").strip(), (form.email.data or "").strip())


def _page(form: RegisterForm, status: int) -> tuple[str, int]:
    return render_template("portal/register.html", form=form), status
