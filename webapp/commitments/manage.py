"""`/commitments/import` (departments, the credit office) and `/commitments/templates` (the
credit office): bring in commitments made elsewhere, and keep the standard texts in versions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.kinds.commitment.imports import CommitmentImportReport, import_for_department
from workflows.kinds.commitment.templates import TYPES, current_text, save_version, template_history, template_overview

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .forms import ImportForm, TemplateForm


@bp.get("/import")
@login_required_permission("may_import_commitments")
def import_form() -> str:
    return _import_page(ImportForm(), None)


@bp.post("/import")
@login_required_permission("may_import_commitments")
def import_file() -> tuple[str, int]:
    form = ImportForm()
    if not form.validate():
        return _import_page(form, None), 400
    runtime, upload = get_runtime(), form.file.data
    try:
        report = import_for_department(runtime.store, current_actor(), upload.read(), upload.filename or "upload.csv",
                                       runtime.clock.now(), skip_invalid=form.skip_invalid.data,
                                       requested=form.department.data)
    except CaseError as err:
        form.file.errors = [*form.file.errors, err.message]
        return _import_page(form, None), err.http_status
    _flash_outcome(report)
    return _import_page(form, report), 200


def _import_page(form: ImportForm, report: CommitmentImportReport | None) -> str:
    return render_template("commitments/import.html", form=form, report=report)


def _flash_outcome(report: CommitmentImportReport) -> None:
    if report.imported:
        flash(_("%(count)d commitments were imported.", count=report.imported), "success")
    if report.errors and not report.imported:
        flash(_("Nothing was imported: %(rows)d rows have problems.", rows=report.invalid_rows), "danger")


@bp.get("/templates")
@login_required_permission("may_manage_commitment_templates")
def templates() -> str:
    return render_template("commitments/templates.html", rows=template_overview(get_runtime().store, current_actor()))


@bp.get("/templates/<kind>")
@login_required_permission("may_manage_commitment_templates")
def template_form(kind: str) -> str:
    form = TemplateForm()
    form.text.data = current_text(get_runtime().store, current_actor(), _known(kind))
    form.title.data = TYPES[kind]
    return _template_page(kind, form)


@bp.post("/templates/<kind>")
@login_required_permission("may_manage_commitment_templates")
def save_template_version(kind: str) -> Response | tuple[str, int]:
    form = TemplateForm()
    if not form.validate():
        return _template_page(_known(kind), form), 400
    runtime = get_runtime()
    try:
        row = save_version(runtime.store, current_actor(), _known(kind), form.title.data or "", form.text.data or "",
                           runtime.clock.now())
    except CaseError as err:
        form.text.errors = [*form.text.errors, err.message]
        return _template_page(kind, form), err.http_status
    flash(_("Version %(version)d of the standard text was saved.", version=row.version), "success")
    return redirect(url_for("commitments.template_form", kind=kind))


def _template_page(kind: str, form: TemplateForm) -> str:
    """The form and every version, newest first; version 1 is the shipped text."""
    return render_template("commitments/template_form.html", kind=kind, name=TYPES[kind], form=form,
                           versions=template_history(get_runtime().store, current_actor(), kind))


def _known(kind: str) -> str:
    if kind not in TYPES:
        abort(404)
    return kind
