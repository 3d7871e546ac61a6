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

from workflows.people.access import Actor
from workflows.kinds.common.attachments import PURPOSES
from workflows.engine.case_view import case_document
from workflows.core.errors import CaseError, Conflict
from workflows.engine.models import Case, HumanTask
from workflows.kinds.objection.filing import TARGETS

from ..auth.identity import login_required_roles
from ..runtime import get_runtime
from . import bp
from .commitment_view import commitment_panel
from .common import (CASE_LABELS, KIND_HEADINGS, applicant, check_task, flash_refusals, local_time, outcome_label,
                     posted_version, read_uploads, show_errors)
from .forms import ConfirmForm, SupplementForm, SupplyForm
from .home import expectation
from .operations import attach_files
from .queries import (applicant_events, filed_request, latest_event, open_supplement, open_tasks, own_case,
                      subject_attachments, supplement_items)


@bp.get("/cases/<int:case_id>")
@login_required_roles("applicant")
def case_page(case_id: int) -> tuple[str, int]:
    return render_case(applicant(), case_id, 200)


@bp.post("/cases/<int:case_id>/supplement")
@login_required_roles("applicant")
def supplement(case_id: int) -> Response | tuple[str, int]:
    actor, form = applicant(), SupplementForm()
    task = _supplement_task(actor, case_id)
    if not form.validate():
        return render_case(actor, case_id, 400, form=form)
    uploads = read_uploads(form.files.data, "rectification")
    runtime = get_runtime()
    try:
        check_task(task, form.task_id.data,
                   _("The supplement was already answered or has changed; please check the page."))
        data = {"rectification": form.rectification.data or "", "note": form.note.data or ""}
        runtime.engine.complete_task(task.id, data, actor, expected_version=posted_version(form.version.data))
    except CaseError as err:
        show_errors(form, err)
        return render_case(actor, case_id, err.http_status, form=form)
    _stored, refused = attach_files(runtime.store, actor, case_id, uploads, runtime.clock.now())
    flash(_("Your supplement has been submitted; the case is back under review."), "success")
    flash_refusals(refused)
    return redirect(url_for("portal.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/withdraw")
@login_required_roles("applicant")
def withdraw(case_id: int) -> Response:
    """No version check: withdrawing is right whatever the reviewer did meanwhile, as long as
    the case is still open (the engine refuses a closed one with a conflict)."""
    runtime, actor = get_runtime(), applicant()
    with runtime.store.read() as session:
        case = own_case(session, actor.subject_code, case_id)
    try:
        if case.status != "running":
            raise Conflict(_("The case is already closed."))
        if case.kind == "commitment":  # the flow has no withdrawal: the department decides
            raise Conflict(_("A commitment cannot be withdrawn; please contact the accepting department."))
        runtime.engine.send_message(case_id, "withdraw", {"by": actor.username}, actor)
    except Conflict as err:
        flash(err.message, "danger")
    else:
        flash(_("Your request has been withdrawn."), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))


def _supplement_task(actor: Actor, case_id: int) -> HumanTask | None:
    with get_runtime().store.read() as session:
        own_case(session, actor.subject_code, case_id)
        return open_supplement(session, case_id)


def render_case(actor: Actor, case_id: int, status: int, *, form: SupplementForm | None = None,
                confirm_form: ConfirmForm | None = None, supply_form: SupplyForm | None = None) -> tuple[str, int]:
    """The case page; a step's view passes its posted form back to show its errors."""
    runtime = get_runtime()
    form = form or SupplementForm(formdata=None)
    with runtime.store.read() as session:
        case = own_case(session, actor.subject_code, case_id)
        document = case_document(session, actor, case)
        task = open_supplement(session, case_id)
        items = supplement_items(session, case_id) if task else []
        attachments = subject_attachments(session, case_id, actor.subject_code)
        tasks = open_tasks(session, case_id)
        commitment = (commitment_panel(session, case, tasks, confirm_form, supply_form)
                      if case.kind == "commitment" else None)
        waiting_for = expectation(case, tasks)
    if task is not None:
        form.task_id.data, form.version.data = task.id, str(case.version)
    return render_template(
        "portal/case.html", case=case, document=document, events=applicant_events(document["events"]),
        supplement_task=task, supplement_due=local_time(task.due_at) if task else "", items=items,
        attachments=attachments, purposes=PURPOSES, form=form, expectation=waiting_for,
        status_label=CASE_LABELS.get(case.status, case.status), outcome_label=outcome_label(case),
        heading=KIND_HEADINGS.get(case.kind, ""), filed=filed_request(document["events"]),
        targets=TARGETS, suspended_since=_suspended_since(case, document["events"]),
        commitment=commitment), status


def _suspended_since(case: Case, events: list[dict[str, Any]]) -> str:
    """While an objection runs: when its records' publicity was suspended (YYYY-MM-DD HH:MM)."""
    if case.kind != "objection" or case.status != "running":
        return ""
    suspension = latest_event(events, "suspended")
    return suspension["at"][:16].replace("T", " ") if suspension else ""
