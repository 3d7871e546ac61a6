"""`/training/my`: the sessions an applicant may still enroll in, and their own enrollments
with certificate numbers and downloads. Only the account's own subject is read or enrolled."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.people.access import Actor
from workflows.training.service import cancel_enrollment, enroll

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime
from . import bp
from .queries import list_sessions, subject_enrollments
from .views import flashing_errors


@bp.get("/my")
@login_required_roles("applicant")
def my() -> str:
    runtime, actor = get_runtime(), _applicant()
    with runtime.store.read() as session:
        mine = subject_enrollments(session, actor.subject_code)
        sessions = list_sessions(session, runtime.clock.now(), open_only=True)
    taken = {enrollment.session_id for enrollment, _training in mine if enrollment.status != "cancelled"}
    return render_template("training/my.html", sessions=sessions, taken=taken, mine=mine)


@bp.post("/my/<int:session_id>/enroll")
@login_required_roles("applicant")
def enroll_me(session_id: int) -> Response:
    runtime, actor = get_runtime(), _applicant()
    with flashing_errors():
        with runtime.store.write() as uow:
            enroll(uow.session, session_id, actor.subject_code, request.form.get("attendee", ""), actor,
                   runtime.clock.now())
            uow.commit()
        flash(_("You are enrolled. Training is free of charge."), "success")
    return redirect(url_for("training.my"))


@bp.post("/my/enrollments/<int:enrollment_id>/cancel")
@login_required_roles("applicant")
def cancel_mine(enrollment_id: int) -> Response:
    runtime, actor = get_runtime(), _applicant()
    with flashing_errors():
        with runtime.store.write() as uow:
            cancel_enrollment(uow.session, enrollment_id, actor, runtime.clock.now())
            uow.commit()
        flash(_("The enrollment was cancelled."), "success")
    return redirect(url_for("training.my"))


def _applicant() -> Actor:
    """The logged-in applicant; an account without a subject has nothing here (403)."""
    actor = current_actor()
    if actor is None or not actor.subject_code:
        abort(403)
    return actor
