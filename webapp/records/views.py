"""`/records`: list (search, filters, pages), detail, create form."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows import records
from workflows.core.errors import CaseError
from workflows.core.identifiers import mask_subject_code
from workflows.people.models import Department
from workflows.engine.rules import RuleBook

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime
from . import bp, labels
from .forms import RecordForm

STAFF = ("reviewer", "supervisor", "department", "admin", "auditor")
CREATORS = ("department", "admin")
PAGE = 50


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {**labels.as_context(), "masked": mask_subject_code}  # ID numbers masked in lists (§E)


@bp.get("/")
@login_required_roles(*STAFF)
def index() -> str:
    wanted = records.RecordFilter(text=request.args.get("q", ""), kind=request.args.get("kind") or None,
                                  status=request.args.get("status") or None)
    before = request.args.get("before", type=int)
    with get_runtime().store.read() as session:
        rows = records.list_records(session, wanted, limit=PAGE + 1, before_id=before)
    next_before = rows[PAGE - 1].id if len(rows) > PAGE else None
    return render_template("records/list.html", rows=rows[:PAGE], wanted=wanted, next_before=next_before,
                           may_create=current_actor().has(*CREATORS))


@bp.get("/<int:record_id>")
@login_required_roles(*STAFF)
def detail(record_id: int) -> str:
    with get_runtime().store.read() as session:
        record = records.readable_record(session, current_actor(), record_id)
        measures = records.record_measures(session, record.id)
        history = records.record_history(session, record.id)
    return render_template("records/detail.html", record=record, measures=measures, history=history)


@bp.get("/new")
@login_required_roles(*CREATORS)
def new() -> str:
    form = RecordForm()
    _prefill_department(form)
    return render_template("records/form.html", form=form)


@bp.post("/new")
@login_required_roles(*CREATORS)
def create() -> Response | tuple[str, int]:
    form = RecordForm()
    if not form.validate():
        flash(_("The form has expired or is invalid; please reload the page and try again."), "danger")
        return render_template("records/form.html", form=form), 400
    data, rows = form.record_data()
    runtime, actor = get_runtime(), current_actor()
    try:
        with runtime.store.write() as uow:
            scoped = records.scoped_to_department(uow.session, actor, data)
            record = records.create_record(uow.session, RuleBook(runtime.specs.current), scoped,
                                           actor.username, runtime.clock.now(), source="web")
            uow.commit()
    except CaseError as err:
        form.show_errors(err.fields, rows)
        flash(err.message, "danger")
        return render_template("records/form.html", form=form), err.http_status
    flash(_("Credit record %(number)s was created.", number=record.decision_no), "success")
    return redirect(url_for("records.detail", record_id=record.id))


def _prefill_department(form: RecordForm) -> None:
    actor = current_actor()
    if actor.has("admin") or not actor.department_code:
        return
    form.department_code.data = actor.department_code
    with get_runtime().store.read() as session:
        department = session.get(Department, actor.department_code)
    if department is not None:
        form.department_name.data = department.name
