"""Session login and logout for people; API clients use `POST /api/v1/auth/token` instead."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from workflows.core.clock import to_local
from workflows.people.access import Actor
from workflows.people.login_throttle import sign_in
from workflows.people.permissions import allows
from workflows.people.sessions import end_sessions

from ..runtime import get_runtime
from ..security import local_path
from .forms import LoginForm
from .identity import start_session

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(landing_url(current_user.actor))
    form = LoginForm()
    if form.validate_on_submit():
        runtime = get_runtime()
        attempt = sign_in(runtime.store, runtime.clock.now(), form.username.data, form.password.data,
                          request.remote_addr or "",
                          password_disabled_for=runtime.settings.password_signin_disabled_roles)
        if attempt.user is not None:
            session_user = start_session(attempt.user)  # a fresh session per login
            return redirect(local_path(request.args.get("next")) or landing_url(session_user.actor))
        if attempt.locked_until is not None:
            flash(locked_message(attempt.locked_until), "danger")
        elif attempt.password_disabled:
            flash(password_disabled_message(), "danger")
        else:  # deliberately the same message whichever field was wrong
            flash(_("Incorrect username or password."), "danger")
    return login_page(form)


def login_page(form: LoginForm, status: int = 200, *, error: str | None = None) -> tuple[str, int]:
    """The login form, with the single sign-on button when a provider is configured."""
    if error:
        flash(error, "danger")
    oidc = get_runtime().settings.oidc
    return render_template("auth/login.html", form=form, sso_label=oidc.label if oidc else None), status


def locked_message(until: datetime) -> str:
    return _("Too many failed sign-ins. Try again after %(time)s.", time=f"{to_local(until):%H:%M}")


def password_disabled_message() -> str:
    """Form and API alike: the right password, but this role signs in through the provider only."""
    return _("Password sign-in is switched off for your role: sign in through the unified identity platform.")


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Response | str:
    """GET shows a confirmation button: logging out by GET would be forgeable by any link."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        end_sessions(get_runtime().store, current_user.id)  # a copied cookie dies with this one
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


def landing_url(actor: Actor) -> str:
    """Where a user starts: the portal for applicants, the desk for staff, else the home page."""
    if allows(actor, "may_use_desk"):
        return "/desk"
    if allows(actor, "may_use_portal"):
        return "/portal"
    return url_for("main.home")

