"""`/portal/cases/<id>`: follow my case (repair, objection or commitment); answer a supplement
request; withdraw the request. A commitment's own steps (sign, supply) are in `commitment.py`.

Only cases of my own subject exist here (404 otherwise, staff access rules do not apply).
Answers carry the case version they were written against, so a stale page is a conflict.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError, Conflict
from workflows.core.models.cases import Case
from workflows.kinds.common.applicant_views import (
    applicant_events,
    filed_request,
    latest_event,
    my_case_page,
    my_open_task,
)
from workflows.kinds.common.attachments import PURPOSES
from workflows.kinds.common.case_files import add_files, attach_files, checked_uploads
from workflows.kinds.common.case_messages import withdraw_case
from workflows.kinds.objection.vocabulary import TARGETS
from workflows.people.access import Actor

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .commitment_view import commitment_panel
from .common import (
    CASE_LABELS,
    KIND_HEADINGS,
    applicant,
    check_task,
    flash_refusals,
    local_time,
    on_file_fields,
    outcome_label,
    posted_version,
    read_uploads,
    show_errors,
)
from .forms import ConfirmForm, MaterialForm, StatementForm, SupplementForm, SupplyForm
from .home import expectation
from .interview_view import interview_panel


@bp.get("/cases/<int:case_id>")
@login_required_permission("may_use_portal")
def case_page(case_id: int) -> tuple[str, int]:
    return render_case(applicant(), case_id, 200)


@bp.post("/cases/<int:case_id>/supplement")
@login_required_permission("may_use_portal")
def supplement(case_id: int) -> Response | tuple[str, int]:
    actor, form = applicant(), SupplementForm()
    runtime = get_runtime()
    task = my_open_task(runtime.store, actor, case_id, "supplement")
    if not form.validate():
        return render_case(actor, case_id, 400, form=form)
    uploads = read_uploads(form.files.data, "rectification") + read_uploads(form.report_files.data, "credit_report")
    try:
        uploads = checked_uploads(uploads)  # a refused file sends nothing: the answer comes back as typed
        check_task(task, form.task_id.data,
                   _("The supplement was already answered or has changed; please check the page."))
        data = {"rectification": form.rectification.data or "", "note": form.note.data or ""}
        runtime.engine.complete_task(task.id, data, actor, expected_version=posted_version(form.version.data))
    except CaseError as err:
        show_errors(form, on_file_fields(err, {"rectification": "files", "credit_report": "report_files"}))
        return render_case(actor, case_id, err.http_status, form=form)
    _stored, refused = attach_files(runtime.store, actor, case_id, uploads, runtime.clock.now())
    flash(_("Your supplement has been submitted; the case is back under review."), "success")
    flash_refusals(refused)
    return redirect(url_for("portal.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/material")
@login_required_permission("may_use_portal")
def add_material(case_id: int) -> Response | tuple[str, int]:
    """Files added while the case is open: all of them or, if one is refused, none."""
    actor, form, runtime = applicant(), MaterialForm(), get_runtime()
    if not form.validate():
        return render_case(actor, case_id, 400, material_form=form)
    try:
        stored = add_files(runtime.store, actor, case_id, read_uploads(form.files.data, form.purpose.data),
                           runtime.clock.now())
    except CaseError as err:
        form.files.errors = [*err.fields.values()] or [err.message]
        return render_case(actor, case_id, err.http_status, material_form=form)
    flash(_("%(n)d file(s) added to your case; the reviewer sees them on the case.", n=len(stored)), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/withdraw")
@login_required_permission("may_use_portal")
def withdraw(case_id: int) -> Response:
    """No version check: withdrawing is right whatever the reviewer did meanwhile, as long as
    the case is still open (a closed one, or a commitment, is a conflict)."""
    try:
        withdraw_case(get_runtime().engine, applicant(), case_id)
    except Conflict as err:
        flash(err.message, "danger")
    else:
        flash(_("Your request has been withdrawn."), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))


def render_case(actor: Actor, case_id: int, status: int, *, form: SupplementForm | None = None,
                confirm_form: ConfirmForm | None = None, supply_form: SupplyForm | None = None,
                defence_text: str = "", statement_form: StatementForm | None = None,
                material_form: MaterialForm | None = None) -> tuple[str, int]:
    """The case page; a step's view passes its posted form back to show its errors."""
    page = my_case_page(get_runtime().store, actor, case_id)
    case, task, events = page.mine.case, page.supplement, page.document["events"]
    form = form or SupplementForm(formdata=None)
    if task is not None:
        form.task_id.data, form.version.data = task.id, str(case.version)
    commitment = commitment_panel(page, confirm_form, supply_form, statement_form) if case.kind == "commitment" else None
    interview = interview_panel(page, defence_text) if case.kind == "interview" else None
    return render_template(
        "portal/case.html", case=case, document=page.document, events=applicant_events(events),
        supplement_task=task, supplement_due=local_time(task.due_at) if task else "", items=page.supplement_items,
        attachments=page.attachments, purposes=PURPOSES, form=form, expectation=expectation(page.mine),
        status_label=CASE_LABELS.get(case.status, case.status), outcome_label=outcome_label(case),
        heading=KIND_HEADINGS.get(case.kind, ""), filed=filed_request(events),
        targets=TARGETS, suspended_since=_suspended_since(case, events),
        commitment=commitment, interview=interview, withdrawable=page.withdrawable,
        material_form=material_form or MaterialForm(formdata=None)), status


def _suspended_since(case: Case, events: list[dict[str, Any]]) -> str:
    """While an objection runs: when its records' publicity was suspended (YYYY-MM-DD HH:MM)."""
    if case.kind != "objection" or case.status != "running":
        return ""
    suspension = latest_event(events, "suspended")
    return suspension["at"][:16].replace("T", " ") if suspension else ""
