"""Staff file an objection on behalf of a walk-in applicant (窗口代办)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflows.core.errors import CaseError
from workflows.core.identifiers import validate_subject_code
from workflows.kinds.objection.filing import file_objection
from workflows.kinds.objection.vocabulary import TARGETS
from workflows.kinds.objection.walk_in import walk_in_subject

from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime
from .blueprint import bp


@bp.route("/objections/new", methods=["GET", "POST"])
@login_required_permission("may_file_walk_in")
def walk_in_objection():
    runtime = get_runtime()
    code, subject, records, errors = request.values.get("subject", "").strip(), None, [], {}
    if code:
        try:
            code = validate_subject_code(code)[1]
        except CaseError as err:
            errors = {"subject": err.message}
    if code and not errors:
        found = walk_in_subject(runtime.store, code)
        subject, records = found.subject, found.records
    if request.method == "POST" and subject is not None:
        form = {"record_ids": request.form.getlist("record_ids"), "target": request.form.get("target"),
                "claim": request.form.get("claim", ""), "evidence": request.form.get("evidence", "")}
        try:
            case = file_objection(runtime.engine, current_actor(), code, form)
            flash(_("Objection filed; the records are suspended."), "success")
            return redirect(url_for("desk.case_page", case_id=case.id))
        except CaseError as err:
            errors = {**err.fields, "_": err.message}
    return render_template("desk/walk_in.html", code=code, subject=subject, records=records,
                           targets=TARGETS, errors=errors, form=request.form)
