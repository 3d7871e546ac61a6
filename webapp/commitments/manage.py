"""`/commitments/import` (departments, the credit office) and `/commitments/templates` (the
credit office): bring in commitments made elsewhere, and keep the standard texts in versions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.people.access import Actor
from workflows.kinds.commitment.imports import CommitmentImportReport, import_commitments
from workflows.kinds.commitment.templates import TYPES, current_template, default_text, save_template, template_versions
from workflows.core.errors import CaseError, Forbidden

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime
from . import bp
from .forms import ImportForm, TemplateForm

IMPORTERS = ("department", "admin")


@bp.get("/import")
@login_required_roles(*IMPORTERS)
def import_form() -> str:
    return _import_page(ImportForm(), None)


@bp.post("/import")
@login_required_roles(*IMPORTERS)
def import_file() -> tuple[str, int]:
    form = ImportForm()
    if not form.validate():
        return _import_page(form, None), 400
    runtime, upload = get_runtime(), form.file.data
    try:
        with runtime.store.write() as uow:
            report = import_commitments(uow.session, upload.read(), upload.filename or "upload.csv",
                                        runtime.clock.now(), skip_invalid=form.skip_invalid.data,
                                        department=importing_department(current_actor(), form.department.data))
            if report.imported:
                uow.commit()
    except CaseError as err:
        form.file.errors = [*form.file.errors, err.message]
        return _import_page(form, None), err.http_status
    _flash_outcome(report)
    return _import_page(form, report), 200


def _import_page(form: ImportForm, report: CommitmentImportReport | None) -> str:
    return render_template("commitments/import.html", form=form, report=report,
                           may_choose_department=current_actor().has("admin"))


def importing_department(actor: Actor, requested: str | None) -> str | None:
    """The credit office imports for any department; an officer only for their own."""
    if actor.has("admin"):
        return (requested or "").strip() or None
    if not actor.department_code:
        raise Forbidden(_("Your account has no department."))
    return actor.department_code


def _flash_outcome(report: CommitmentImportReport) -> None:
    if report.imported:
        flash(_("%(count)d commitments were imported.", count=report.imported), "success")
    if report.errors and not report.imported:
        flash(_("Nothing was imported: %(rows)d rows have problems.", rows=report.invalid_rows), "danger")


@bp.get("/templates")
@login_required_roles("admin")
def templates() -> str:
    with get_runtime().store.read() as session:
        rows = [(key, name, current_template(session, key)[0]) for key, name in TYPES.items()]
    return render_template("commitments/templates.html", rows=rows)


@bp.get("/templates/<kind>")
@login_required_roles("admin")
def template_form(kind: str) -> str:
    form = TemplateForm()
    with get_runtime().store.read() as session:
        _version, form.text.data = current_template(session, _known(kind))
    form.title.data = TYPES[kind]
    return _template_page(kind, form)


@bp.post("/templates/<kind>")
@login_required_roles("admin")
def save_template_version(kind: str) -> Response | tuple[str, int]:
    form = TemplateForm()
    if not form.validate():
        return _template_page(_known(kind), form), 400
    runtime = get_runtime()
    try:
        with runtime.store.write() as uow:
            row = save_template(uow.session, _known(kind), form.title.data or "", form.text.data or "",
                                current_actor().username, runtime.clock.now())
            uow.commit()
    except CaseError as err:
        form.text.errors = [*form.text.errors, err.message]
        return _template_page(kind, form), err.http_status
    flash(_("Version %(version)d of the standard text was saved.", version=row.version), "success")
    return redirect(url_for("commitments.template_form", kind=kind))


def _template_page(kind: str, form: TemplateForm) -> str:
    """The form and every version, newest first; version 1 is the shipped text."""
    with get_runtime().store.read() as session:
        versions = [(row.version, row.title, row.text, row.created_by, row.created_at)
                    for row in template_versions(session, kind)]
    versions.append((1, TYPES[kind], default_text(kind), None, None))
    return render_template("commitments/template_form.html", kind=kind, name=TYPES[kind], form=form,
                           versions=versions)


def _known(kind: str) -> str:
    if kind not in TYPES:
        abort(404)
    return kind
