"""`/training`: the staff side. Everyone on staff reads; the credit office creates sessions;
reviewers, supervisors and the credit office enroll subjects and record attendance."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError, InvalidInput
from workflows.core.identifiers import mask_subject_code
from workflows.people.permissions import allows
from workflows.training.operations import cancel as cancel_place
from workflows.training.operations import enroll_subject, import_attendance_list, mark_attendance, open_session
from workflows.training.queries import session_of_enrollment, session_page, sessions_for
from workflows.training.service import AttendanceReport

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from . import labels
from .blueprint import bp
from .forms import AttendanceImportForm, EnrollForm, SessionForm


@bp.context_processor
def vocabulary() -> dict[str, object]:
    actor = current_actor()
    return {**labels.as_context(), "masked": mask_subject_code,
            "may_download": bool(actor and (allows(actor, "may_open_unattached_letters") or actor.subject_code))}


@bp.get("/")
@login_required_permission("may_open_training")
def index() -> str | Response:
    """Applicants have their own page; staff see every session, upcoming first."""
    runtime, actor = get_runtime(), current_actor()
    if not allows(actor, "may_read_training"):
        return redirect(url_for("training.my"))
    return render_template("training/index.html", rows=sessions_for(runtime.store, actor, runtime.clock.now()))


@bp.route("/new", methods=("GET", "POST"))
@login_required_permission("may_manage_training")
def new() -> str | Response | tuple[str, int]:
    form = SessionForm()
    if request.method == "GET":
        return render_template("training/new.html", form=form)
    runtime = get_runtime()
    try:
        row = open_session(runtime.store, current_actor(), form.session_data(), runtime.clock.now())
    except CaseError as err:
        form.show_errors(err.fields)
        flash(err.message, "danger")
        return render_template("training/new.html", form=form), err.http_status
    flash(_("The training session was created."), "success")
    return redirect(url_for("training.detail", session_id=row.id))


@bp.get("/<int:session_id>")
@login_required_permission("may_read_training")
def detail(session_id: int) -> str:
    return _session_page(session_id, AttendanceImportForm(), None)


@bp.post("/<int:session_id>/enrollments")
@login_required_permission("may_organise_training")
def add_enrollment(session_id: int) -> Response:
    form, runtime = EnrollForm(), get_runtime()
    with flashing_errors():
        row = enroll_subject(runtime.store, current_actor(), session_id, form.subject_code.data or "",
                             form.attendee.data or "", runtime.clock.now())
        flash(_("%(name)s was enrolled.", name=row.subject_name), "success")
    return redirect(url_for("training.detail", session_id=session_id))


@bp.post("/enrollments/<int:enrollment_id>/attendance")
@login_required_permission("may_organise_training")
def attendance(enrollment_id: int) -> Response:
    runtime, attended = get_runtime(), request.form.get("attended") == "1"
    with flashing_errors():
        row = mark_attendance(runtime.store, current_actor(), enrollment_id, attended, runtime.clock.now(),
                              runtime.settings.public_url)
        if attended:
            flash(_("Training certificate %(number)s was issued.", number=row.certificate_no), "success")
        else:
            flash(_("%(name)s was recorded as absent.", name=row.subject_name), "warning")
    return redirect(url_for("training.detail", session_id=_session_of(enrollment_id)))


@bp.post("/enrollments/<int:enrollment_id>/cancel")
@login_required_permission("may_organise_training")
def cancel(enrollment_id: int) -> Response:
    runtime = get_runtime()
    with flashing_errors():
        cancel_place(runtime.store, current_actor(), enrollment_id, runtime.clock.now())
        flash(_("The enrollment was cancelled."), "success")
    return redirect(url_for("training.detail", session_id=_session_of(enrollment_id)))


@bp.post("/<int:session_id>/attendance-import")
@login_required_permission("may_organise_training")
def import_file(session_id: int) -> str | tuple[str, int]:
    form, runtime, report, status = AttendanceImportForm(), get_runtime(), None, 400
    if form.validate():
        try:
            report = import_attendance_list(runtime.store, current_actor(), session_id,
                                            decode_upload(form.file.data.read()), runtime.clock.now(),
                                            runtime.settings.public_url)
            status = 200
        except CaseError as err:
            form.file.errors = [*form.file.errors, err.message]
            status = err.http_status
    _flash_report(report)
    return _session_page(session_id, form, report), status


def _session_page(session_id: int, import_form: AttendanceImportForm, report: AttendanceReport | None) -> str:
    page = session_page(get_runtime().store, current_actor(), session_id)
    return render_template("training/session.html", row=page.summary, enrollments=page.enrollments,
                           pending_certificates=page.pending_certificates, enroll_form=EnrollForm(),
                           import_form=import_form, report=report)


def decode_upload(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(_("Save the file as CSV in UTF-8 or GB18030."), {"file": _("Unknown encoding")})


def _flash_report(report: AttendanceReport | None) -> None:
    if report is None:
        return
    if report.errors:
        flash(_("Nothing was recorded: %(rows)d rows have problems.", rows=len({e.row for e in report.errors})),
              "danger")
    else:
        flash(_("Attendance imported: %(attended)d attended, %(absent)d absent, %(unchanged)d unchanged.",
                attended=report.attended, absent=report.absent, unchanged=report.unchanged), "success")


def _session_of(enrollment_id: int) -> int:
    return session_of_enrollment(get_runtime().store, enrollment_id)


@contextmanager
def flashing_errors() -> Iterator[None]:
    """A domain refusal becomes a red message on the page the user is sent back to."""
    try:
        yield
    except CaseError as err:
        flash(err.message, "danger")
