"""Credit commitments (信用承诺) in the portal: make one, list mine, sign it, supply 容缺 materials.

A proposed breach finding (违诺告知书) opens the applicant's 陈述申辩 step (`statement`), answered
here until its period ends.

`/portal/commitments/new` asks for the type first, because the standard text shown (and
accepted) depends on it; `file_commitment` checks the rest, and the flow's first step applies
the exclusion rule (a serious record or a past false commitment bars 告知承诺), issues the
信用承诺书 and creates the register row — all in one transaction, so a refusal stores nothing.
The signature (`confirm`) and the 容缺 supply (`supply`) are the applicant's tasks of the
flow, answered from the case page against the case version it was drawn with.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.clock import to_local
from workflows.core.errors import CaseError
from workflows.core.models.cases import HumanTask
from workflows.core.models.commitments import Commitment
from workflows.engine.case_view import letter_document
from workflows.engine.rules import RuleBook
from workflows.kinds.commitment.filing import file_commitment
from workflows.kinds.commitment.templates import TYPES, notification_types
from workflows.kinds.common.applicant_views import (
    commitment_choices,
    my_commitment_list,
    my_open_task,
)
from workflows.kinds.common.case_files import attach_files, checked_uploads
from workflows.people.access import Actor

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .cases import render_case
from .commitment_view import STATUS_BADGES, fulfilment_label, status_key, status_label
from .common import (
    applicant,
    check_task,
    flash_refusals,
    on_file_fields,
    posted_version,
    read_uploads,
    show_errors,
)
from .forms import CommitmentForm, ConfirmForm, StatementForm, SupplyForm

FORM_FIELDS = ("matter", "content", "liability", "valid_until", "verify_on", "disclosure", "department_code",
               "deficiency_materials")


@dataclass(frozen=True)
class CommitmentRow:
    """One line of "my commitments"."""

    row: Commitment
    type_name: str
    status: str
    badge: str
    fulfilment: str
    letters: list[dict[str, Any]]


@bp.route("/commitments/new", methods=["GET", "POST"])
@login_required_permission("may_use_portal")
def new_commitment() -> Response | tuple[str, int]:
    actor, form = applicant(), CommitmentForm()
    if not form.is_submitted():
        form.commitment_type.data = request.args.get("type", "")
        return _new_page(form, 200)
    if not form.validate():
        return _new_page(form, 400)
    try:
        case = file_commitment(get_runtime().engine, actor, actor.subject_code, _commitment_data(form))
    except CaseError as err:
        show_errors(form, err)
        return _new_page(form, err.http_status)
    flash(_("Your commitment has been recorded. Please read it below, then confirm and sign it."), "success")
    return redirect(url_for("portal.case_page", case_id=case.id))


@bp.get("/commitments")
@login_required_permission("may_use_portal")
def commitments() -> str:
    actor = applicant()
    items = [_list_row(row, tasks, letters)
             for row, tasks, letters in my_commitment_list(get_runtime().store, actor.subject_code)]
    return render_template("portal/commitments.html", items=items)


@bp.post("/cases/<int:case_id>/confirm")
@login_required_permission("may_use_portal")
def confirm_commitment(case_id: int) -> Response | tuple[str, int]:
    """The signature step: "I have read and confirm" and the signer's name."""
    actor, form = applicant(), ConfirmForm()
    task = my_open_task(get_runtime().store, actor, case_id, "confirm")
    if not form.validate():
        return render_case(actor, case_id, 400, confirm_form=form)
    data = {"confirmed": bool(form.confirmed.data), "signer": form.signer.data or ""}
    try:
        _complete(actor, task, form, data, _("The commitment was already confirmed or has changed; please check the page."))
    except CaseError as err:
        show_errors(form, err)
        return render_case(actor, case_id, err.http_status, confirm_form=form)
    flash(_("You have signed the commitment; it now goes to the accepting department."), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/supply")
@login_required_permission("may_use_portal")
def supply_materials(case_id: int) -> Response | tuple[str, int]:
    """容缺受理: what was supplied, before the deadline (after it the flow records a breach)."""
    actor, form = applicant(), SupplyForm()
    task = my_open_task(get_runtime().store, actor, case_id, "supply")
    if not form.validate():
        return render_case(actor, case_id, 400, supply_form=form)
    try:
        _complete(actor, task, form, {"supplied": form.supplied.data or ""},
                  _("The materials were already supplied or the deadline has passed; please check the page."))
    except CaseError as err:
        show_errors(form, err)
        return render_case(actor, case_id, err.http_status, supply_form=form)
    flash(_("The supplied materials have been submitted to the accepting department."), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))


@bp.post("/cases/<int:case_id>/statement")
@login_required_permission("may_use_portal")
def state_and_defend(case_id: int) -> Response | tuple[str, int]:
    """陈述申辩 before the statement period ends: the text (or a waiver) and optional evidence;
    after the period the timer has closed the step and the answer is a conflict."""
    actor, form, runtime = applicant(), StatementForm(), get_runtime()
    task = my_open_task(runtime.store, actor, case_id, "statement")
    if not form.validate():
        return render_case(actor, case_id, 400, statement_form=form)
    uploads = read_uploads(form.files.data, "proof")
    data = {"statement": form.statement.data or "", "waived": bool(form.waived.data)}
    try:
        uploads = checked_uploads(uploads)  # a refused file sends nothing: the statement comes back as typed
        _complete(actor, task, form, data, _("The statement was already filed or its period has ended; please check the page."))
    except CaseError as err:
        show_errors(form, on_file_fields(err, {"proof": "files"}))
        return render_case(actor, case_id, err.http_status, statement_form=form)
    _stored, refused = attach_files(runtime.store, actor, case_id, uploads, runtime.clock.now())
    flash(_("Your statement has been submitted to the accepting department, which will consider it before deciding."),
          "success")
    flash_refusals(refused)
    return redirect(url_for("portal.case_page", case_id=case_id))


def _complete(actor: Actor, task: HumanTask | None, form: ConfirmForm | SupplyForm | StatementForm, data: dict[str, Any],
              stale: str) -> None:
    task_id = check_task(task, form.task_id.data, stale).id
    get_runtime().engine.complete_task(task_id, data, actor, expected_version=posted_version(form.version.data))


def _commitment_data(form: CommitmentForm) -> dict[str, Any]:
    data = {name: (getattr(form, name).data or "").strip() for name in FORM_FIELDS}
    data["commitment_type"] = form.commitment_type.data or ""
    return data


def _list_row(row: Commitment, tasks: list[HumanTask], letters: list[Any]) -> CommitmentRow:
    return CommitmentRow(row, TYPES.get(row.commitment_type, row.commitment_type), status_label(row, tasks),
                         STATUS_BADGES.get(status_key(row, tasks), "text-bg-secondary"), fulfilment_label(row),
                         [letter_document(letter) for letter in letters])


def _new_page(form: CommitmentForm, status: int) -> tuple[str, int]:
    """The six types to choose from; once one is chosen, its standard text and the form."""
    chosen = form.commitment_type.data if form.commitment_type.data in TYPES else ""
    runtime = get_runtime()
    choices = commitment_choices(runtime.store, chosen)
    departments, version, text = choices.departments, choices.version, choices.text
    form.department_code.choices = [("", _("Please choose the accepting department"))] + departments
    if not form.department_code.data and len(departments) == 1:
        form.department_code.data = departments[0][0]
    return render_template("portal/commitment_new.html", form=form, types=TYPES, chosen=chosen,
                           notification_types=notification_types(RuleBook(runtime.specs.current),
                                                                 to_local(runtime.clock.now()).date()), version=version,
                           text_lines=text.splitlines(), today=to_local(runtime.clock.now()).date().isoformat()), status
