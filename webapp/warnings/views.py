"""`/warnings`: list (open, closed, all) with expandable evidence, detail, scan now, close."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import mask_subject_code
from workflows.engine.rules import RuleBook
from workflows.warnings.operations import close as close_warning
from workflows.warnings.operations import scan_now
from workflows.warnings.queries import inbox, warning_for

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..records import labels
from ..runtime import get_runtime
from .blueprint import bp
from .forms import CloseForm, ScanForm

STATUSES = ("open", "closed", "all")
PAGE = 50
PREVIEW = 20  # evidence records shown in the list; the detail page shows all kept ids


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {"kind_labels": labels.KINDS, "status_labels": labels.STATUSES, "masked": mask_subject_code,
            "interview_url": lambda warning_id: f"/desk/interviews/new?warning={warning_id}"}


@bp.get("/")
@login_required_permission("may_read_warnings")
def index() -> str:
    status = request.args.get("status", "open")
    if status not in STATUSES:
        raise InvalidInput(_("Unknown warning status."), {"status": "open / closed / all"})
    found = inbox(get_runtime().store, current_actor(), None if status == "all" else status, PAGE,
                  request.args.get("before", type=int), PREVIEW, request.args.get("after", type=int))
    return render_template("warnings/list.html", page=found.page, evidence=found.evidence, names=found.names,
                           status=status, scan_form=ScanForm())


@bp.get("/<int:warning_id>")
@login_required_permission("may_read_warnings")
def detail(warning_id: int) -> str:
    return _detail_page(warning_id, CloseForm())


@bp.post("/scan")
@login_required_permission("may_scan_warnings")
def scan() -> Response:
    if not ScanForm().validate():
        flash(_("The form has expired or is invalid; please reload the page and try again."), "danger")
        return redirect(url_for("warnings.index"))
    runtime = get_runtime()
    report = scan_now(runtime.store, RuleBook(runtime.specs.current), current_actor(), runtime.clock.now())
    flash(_("Scan of %(date)s finished: %(new)d new, %(updated)d updated, %(unchanged)d unchanged warnings.",
            date=report.scan_date.isoformat(), new=report.new, updated=report.updated,
            unchanged=report.unchanged), "success")
    return redirect(url_for("warnings.index"))


@bp.post("/<int:warning_id>/close")
@login_required_permission("may_close_warnings")
def close(warning_id: int) -> Response | tuple[str, int]:
    form, runtime = CloseForm(), get_runtime()
    try:
        close_warning(runtime.store, current_actor(), warning_id, form.note.data or "", runtime.clock.now())
    except InvalidInput as err:
        form.note.errors = [err.message]
        return _detail_page(warning_id, form), err.http_status
    flash(_("The warning was closed."), "success")
    return redirect(url_for("warnings.detail", warning_id=warning_id))


def _detail_page(warning_id: int, form: CloseForm) -> str:
    document = warning_for(get_runtime().store, current_actor(), warning_id)
    return render_template("warnings/detail.html", warning=document, form=form)
