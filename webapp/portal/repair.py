"""`/portal/repair/new`: request credit repair for one or more of my public records.

The form shows the prescribed commitment in full and the materials the chosen records need
(DMN `repair_documents`); `file_repair` checks the request and every file before the case
exists (a refused file files nothing: the form comes back as typed, the error beside the
file's field) and the flow decides eligibility.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.core.models.cases import Case
from workflows.kinds.common.case_files import Upload
from workflows.kinds.common.filing_eligibility import filing_choices
from workflows.kinds.repair.commitment_text import repair_commitment_text, text_digest
from workflows.kinds.repair.filing import file_repair
from workflows.kinds.repair.materials import repair_checklist
from workflows.people.access import Actor

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .common import applicant, cn_date, on_file_fields, read_uploads, show_errors
from .forms import RepairForm


@bp.route("/repair/new", methods=["GET", "POST"])
@login_required_permission("may_use_portal")
def new_repair() -> Response | tuple[str, int]:
    actor, form = applicant(), RepairForm()
    if not form.is_submitted():
        form.record_ids.data = request.args.getlist("record")
        return _page(actor, form, 200)
    if not form.validate():
        return _page(actor, form, 400)
    if form.commitment_digest.data != text_digest(repair_commitment_text()):
        form.commitment_accepted.errors.append(_("The commitment text has changed; please read it again and confirm."))
        return _page(actor, form, 400)
    try:
        case = file_repair(get_runtime().engine, actor, actor.subject_code, _request_data(form), uploads=_uploads(form))
    except CaseError as err:
        show_errors(form, on_file_fields(err, FILE_FIELDS))
        return _page(actor, form, err.http_status)
    _flash_filed(case)
    return redirect(url_for("portal.case_page", case_id=case.id))


def _request_data(form: RepairForm) -> dict[str, Any]:
    return {"record_ids": [i for i in form.record_ids.data or [] if i],
            "reason": form.reason.data or "", "rectification": form.rectification.data or "",
            "commitment_accepted": bool(form.commitment_accepted.data),
            "training_certificate_no": (form.training_certificate_no.data or "").strip() or None}


FILE_FIELDS = {"proof": "proof_files", "training_certificate": "training_files", "credit_report": "report_files"}


def _uploads(form: RepairForm) -> list[Upload]:
    return (read_uploads(form.proof_files.data, "proof")
            + read_uploads(form.training_files.data, "training_certificate")
            + read_uploads(form.report_files.data, "credit_report"))


def _flash_filed(case: Case) -> None:
    if case.outcome == "not_accepted":
        flash(_("Your request was not accepted. The notice below gives the reasons."), "warning")
    else:
        flash(_("Your repair request has been submitted."), "success")


def _page(actor: Actor, form: RepairForm, status: int) -> tuple[str, int]:
    """The records I may choose (public ones), the commitment, and the form."""
    runtime = get_runtime()
    subject = filing_choices(runtime.store, runtime.specs, actor.subject_code, runtime.clock.now())
    rows = [row for row in subject["rows"] if row.is_public]
    commitment = repair_commitment_text()
    form.commitment_digest.data = text_digest(commitment)
    chosen = {str(i) for i in form.record_ids.data or []}
    return render_template("portal/repair_new.html", form=form, subject=subject, rows=rows, chosen=chosen,
                           commitment=commitment.splitlines(), cn_date=cn_date, materials=repair_checklist(rows),
                           needs_training=any(r.needs_training for r in rows if r.may_file)), status
