"""`/notifications` (the bell's list: read one, read all) and `/account/notifications` (where and
which notifications go by e-mail). Handlers parse → call one operation → render."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.notifications.preferences import GROUPS, Contact, groups_for, update_contact
from workflows.notifications.queries import bell_count, contact_settings, notification_list
from workflows.people.notices import mark_notifications_read

from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime
from .forms import SettingsForm

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def bell() -> dict[str, object]:
    """The header's unread count, on every page of a signed-in person (one indexed count)."""
    if not current_user.is_authenticated or request.path.startswith("/api/"):
        return {}
    try:
        return {"unread_notifications": bell_count(get_runtime().store, current_user.username)}
    except Exception:  # noqa: BLE001 - a page (e.g. the 503 page of a database gone away) never fails for its bell
        current_app.logger.warning("the bell's count could not be read", exc_info=True)
        return {}


@bp.get("/notifications")
@login_required_permission(None)
def index() -> str:
    before = request.args.get("before", type=int)
    listing = notification_list(get_runtime().store, current_user.username, before)
    return render_template("notifications/list.html", listing=listing, staff=_staff())


@bp.post("/notifications/<int:notification_id>/read")
@login_required_permission(None)
def read_one(notification_id: int) -> Response:
    runtime = get_runtime()
    mark_notifications_read(runtime.store, current_user.username, notification_id, runtime.clock.now())
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read")
@login_required_permission(None)
def read_all() -> Response:
    runtime = get_runtime()
    if mark_notifications_read(runtime.store, current_user.username, None, runtime.clock.now()):
        flash(_("All notifications were marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required_permission(None)
def settings() -> Response | tuple[str, int]:
    runtime, groups = get_runtime(), groups_for(current_actor().roles)
    form = SettingsForm(groups)
    if request.method == "GET":
        form.fill(contact_settings(runtime.store, current_user.username))
    if not form.validate_on_submit():
        return _settings_page(form, 400 if form.is_submitted() else 200)
    kept = contact_settings(runtime.store, current_user.username).email_groups - set(groups)
    contact = Contact(form.email.data or "", form.mobile.data or "", frozenset(form.chosen()) | kept)
    try:
        update_contact(runtime.store, current_user.username, contact, runtime.clock.now())
    except CaseError as err:
        form.show(err)
        return _settings_page(form, 400)
    flash(_("Your notification settings were saved."), "success")
    return redirect(url_for("notifications.settings"))


def _settings_page(form: SettingsForm, status: int) -> tuple[str, int]:
    mail_on = get_runtime().courier.mailer is not None
    return render_template("notifications/settings.html", form=form, labels=GROUPS, mail_on=mail_on), status


def _staff() -> bool:
    return bool(current_actor().roles - {"applicant"})
