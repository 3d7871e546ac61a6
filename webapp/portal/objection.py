"""`/portal/objection/new`: object to one or more of my shown or suspended records (异议).

`file_objection` checks the request and the flow suspends the records at once (publicity
and joint punishment, DOMAIN.md §C), in the filing's transaction: a refused request changes
nothing. Evidence files are attached after the case exists, each on its own, as for repair.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.kinds.common.filing_eligibility import filing_choices
from workflows.kinds.objection.filing import file_objection
from workflows.people.access import Actor

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .common import applicant, on_file_fields, read_uploads, show_errors
from .forms import ObjectionForm


@bp.route("/objection/new", methods=["GET", "POST"])
@login_required_permission("may_use_portal")
def new_objection() -> Response | tuple[str, int]:
    actor, form = applicant(), ObjectionForm()
    if not form.is_submitted():
        form.record_ids.data = request.args.getlist("record")
        return _page(actor, form, 200)
    if not form.validate():
        return _page(actor, form, 400)
    uploads = read_uploads(form.evidence_files.data, "proof")
    try:
        case = file_objection(get_runtime().engine, actor, actor.subject_code, _objection_data(form), uploads=uploads)
    except CaseError as err:
        show_errors(form, on_file_fields(err, {"proof": "evidence_files"}))
        return _page(actor, form, err.http_status)
    flash(_("Your objection has been filed. Publicity of the record is suspended while it is verified."), "success")
    return redirect(url_for("portal.case_page", case_id=case.id))


def _objection_data(form: ObjectionForm) -> dict[str, Any]:
    return {"record_ids": [i for i in form.record_ids.data or [] if i], "target": form.target.data,
            "claim": form.claim.data or "", "evidence": form.evidence.data or ""}


def _page(actor: Actor, form: ObjectionForm, status: int) -> tuple[str, int]:
    """The records I may object to, and those already under an objection (not choosable)."""
    runtime = get_runtime()
    subject = filing_choices(runtime.store, runtime.specs, actor.subject_code, runtime.clock.now())
    rows = [row for row in subject["rows"] if row.objectable or row.open_objection_id]
    chosen = {str(i) for i in form.record_ids.data or []}
    return render_template("portal/objection_new.html", form=form, subject=subject, rows=rows,
                           chosen=chosen, may_file=any(row.objectable for row in rows)), status
