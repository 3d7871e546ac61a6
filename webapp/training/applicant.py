"""`/training/my`: the sessions an applicant may still enroll in, and their own enrollments
with certificate numbers and downloads. Only the account's own subject is read or enrolled."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.people.access import Actor
from workflows.training.operations import cancel, enroll_subject
from workflows.training.queries import applicant_view

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .views import flashing_errors


@bp.get("/my")
@login_required_permission("may_use_portal")
def my() -> str:
    runtime = get_runtime()
    view = applicant_view(runtime.store, _applicant(), runtime.clock.now())
    return render_template("training/my.html", sessions=view.sessions, taken=view.taken, mine=view.mine,
                           pending_certificates=view.pending_certificates)


@bp.post("/my/<int:session_id>/enroll")
@login_required_permission("may_use_portal")
def enroll_me(session_id: int) -> Response:
    runtime, actor = get_runtime(), _applicant()
    with flashing_errors():
        enroll_subject(runtime.store, actor, session_id, actor.subject_code or "", request.form.get("attendee", ""),
                       runtime.clock.now())
        flash(_("You are enrolled. Training is free of charge."), "success")
    return redirect(url_for("training.my"))


@bp.post("/my/enrollments/<int:enrollment_id>/cancel")
@login_required_permission("may_use_portal")
def cancel_mine(enrollment_id: int) -> Response:
    runtime, actor = get_runtime(), _applicant()
    with flashing_errors():
        cancel(runtime.store, actor, enrollment_id, runtime.clock.now())
        flash(_("The enrollment was cancelled."), "success")
    return redirect(url_for("training.my"))


def _applicant() -> Actor:
    """The logged-in applicant; an account without a subject has nothing here (403)."""
    actor = current_actor()
    if actor is None or not actor.subject_code:
        abort(403)
    return actor
