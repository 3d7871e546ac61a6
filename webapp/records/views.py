"""`/records`: list (search, filters, pages), detail, create form."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows import records
from workflows.core.errors import CaseError
from workflows.core.identifiers import mask_subject_code
from workflows.engine.rules import RuleBook
from workflows.people.permissions import allows
from workflows.records.operations import register_record
from workflows.records.queries import export_records, own_department_name, record_page, records_page

from ..auth.identity import current_actor
from ..exports import csv_download
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from . import labels
from .blueprint import bp
from ..choices import department_choices
from .forms import RecordForm

PAGE = 50
EXPORT_LIMIT = 50_000


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {**labels.as_context(), "masked": mask_subject_code}  # ID numbers masked in lists (§E)


@bp.get("/")
@login_required_permission("may_read_records")
def index() -> str:
    wanted = _wanted()
    page = records_page(get_runtime().store, current_actor(), wanted, PAGE, request.args.get("before", type=int),
                        request.args.get("after", type=int))
    return render_template("records/list.html", rows=page.items, wanted=wanted, page=page, next_before=page.older)


@bp.get("/export.csv")
@login_required_permission("may_read_records")
def export() -> Response:
    """Exactly the filtered records, newest first, ID numbers masked as in the list (§E)."""
    header = [_("Subject"), _("Subject code"), _("Kind"), _("Severity"), _("Decision number"), _("Decision date"),
              _("Department"), _("Publicity status"), _("Publicity start"), _("Publicity end")]
    rows = export_records(get_runtime().store, current_actor(), _wanted(), EXPORT_LIMIT)
    return csv_download("records", header, rows, _cells)


def _wanted() -> records.RecordFilter:
    return records.RecordFilter(text=request.args.get("q", ""), kind=request.args.get("kind") or None,
                                status=request.args.get("status") or None)


def _cells(record) -> list[object]:
    return [record.subject_name, mask_subject_code(record.subject_code), labels.KINDS.get(record.kind, record.kind),
            labels.SEVERITIES.get(record.severity, record.severity), record.decision_no, record.decision_date,
            record.department_name, labels.STATUSES.get(record.publicity_status, record.publicity_status),
            record.publicity_start or "", record.publicity_max_end or ""]


@bp.get("/<int:record_id>")
@login_required_permission("may_read_records")
def detail(record_id: int) -> str:
    page = record_page(get_runtime().store, current_actor(), record_id)
    return render_template("records/detail.html", record=page.record, measures=page.measures, history=page.history,
                           names=page.names, measure_names={m.id: m.name for m in page.measures})


@bp.get("/new")
@login_required_permission("may_create_records")
def new() -> str:
    form = _record_form()
    _prefill_department(form)
    return render_template("records/form.html", form=form)


@bp.post("/new")
@login_required_permission("may_create_records")
def create() -> Response | tuple[str, int]:
    form = _record_form()
    if not form.validate():
        flash(_("The form has expired or is invalid; please reload the page and try again."), "danger")
        return render_template("records/form.html", form=form), 400
    data, rows = form.record_data()
    runtime = get_runtime()
    try:
        record = register_record(runtime.store, RuleBook(runtime.specs.current), current_actor(), data,
                                 runtime.clock.now(), source="web")
    except CaseError as err:
        form.show_errors(err.fields, rows)
        flash(err.message, "danger")
        return render_template("records/form.html", form=form), err.http_status
    flash(_("Credit record %(number)s was created.", number=record["decision_no"]), "success")
    return redirect(url_for("records.detail", record_id=record["id"]))


def _record_form() -> RecordForm:
    form = RecordForm()
    form.department_code.choices = department_choices(blank=_("Choose a department"))
    return form


def _prefill_department(form: RecordForm) -> None:
    """Officers register their own department's decisions: fill it in for them."""
    actor = current_actor()
    if allows(actor, "may_create_records_anywhere") or not actor.department_code:
        return
    form.department_code.data = actor.department_code
    name = own_department_name(get_runtime().store, actor)
    if name is not None:
        form.department_name.data = name
