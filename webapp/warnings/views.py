"""`/warnings`: list (open, closed, all) with expandable evidence, detail, scan now, close."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from workflows.warnings import scan as early_warning
from workflows.core.errors import InvalidInput
from workflows.core.identifiers import mask_subject_code
from workflows.people.models import Department
from workflows.engine.rules import RuleBook

from ..auth.identity import current_actor, login_required_roles
from ..records import labels
from ..runtime import get_runtime
from . import bp
from .access import CLOSERS, SCANNERS, VIEWERS, closing_scope
from .forms import CloseForm, ScanForm

STATUSES = ("open", "closed", "all")
PAGE = 50
PREVIEW = 20  # evidence records shown in the list; the detail page shows all kept ids


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {"kind_labels": labels.KINDS, "status_labels": labels.STATUSES, "masked": mask_subject_code,
            "interview_url": lambda warning_id: f"/desk/interviews/new?warning={warning_id}"}


@bp.get("/")
@login_required_roles(*VIEWERS)
def index() -> str:
    status = request.args.get("status", "open")
    if status not in STATUSES:
        raise InvalidInput(_("Unknown warning status."), {"status": "open / closed / all"})
    actor = current_actor()
    with get_runtime().store.read() as session:
        page = early_warning.list_warnings(session, early_warning.department_scope(actor),
                                           None if status == "all" else status, PAGE,
                                           request.args.get("before", type=int))
        evidence = early_warning.evidence_records(session, page.items, PREVIEW)
        names = department_names(session, {c for codes in page.departments.values() for c in codes})
    return render_template("warnings/list.html", page=page, evidence=evidence, names=names, status=status,
                           may_scan=actor.has(*SCANNERS), may_act=actor.has(*CLOSERS), scan_form=ScanForm())


@bp.get("/<int:warning_id>")
@login_required_roles(*VIEWERS)
def detail(warning_id: int) -> str:
    return _detail_page(warning_id, CloseForm())


@bp.post("/scan")
@login_required_roles(*SCANNERS)
def scan() -> Response:
    if not ScanForm().validate():
        flash(_("The form has expired or is invalid; please reload the page and try again."), "danger")
        return redirect(url_for("warnings.index"))
    runtime = get_runtime()
    with runtime.store.write() as uow:
        report = early_warning.scan_warnings(uow.session, RuleBook(runtime.specs.current), runtime.clock.now(),
                                             current_actor().username)
        uow.commit()
    flash(_("Scan of %(date)s finished: %(new)d new, %(updated)d updated, %(unchanged)d unchanged warnings.",
            date=report.scan_date.isoformat(), new=report.new, updated=report.updated,
            unchanged=report.unchanged), "success")
    return redirect(url_for("warnings.index"))


@bp.post("/<int:warning_id>/close")
@login_required_roles(*CLOSERS)
def close(warning_id: int) -> Response | tuple[str, int]:
    form, runtime, actor = CloseForm(), get_runtime(), current_actor()
    try:
        with runtime.store.write() as uow:
            early_warning.close_warning(uow.session, warning_id, actor.username, runtime.clock.now(),
                                        form.note.data or "", closing_scope(actor))
            uow.commit()
    except InvalidInput as err:
        form.note.errors = [err.message]
        return _detail_page(warning_id, form), err.http_status
    flash(_("The warning was closed."), "success")
    return redirect(url_for("warnings.detail", warning_id=warning_id))


def department_names(session: Session, codes: set[str]) -> dict[str, str]:
    rows = session.execute(select(Department.code, Department.name).where(Department.code.in_(sorted(codes))))
    return dict(rows.all())


def _detail_page(warning_id: int, form: CloseForm) -> str:
    actor = current_actor()
    with get_runtime().store.read() as session:
        document = early_warning.warning_document(session, warning_id, early_warning.department_scope(actor))
    return render_template("warnings/detail.html", warning=document, form=form, may_act=actor.has(*CLOSERS))
