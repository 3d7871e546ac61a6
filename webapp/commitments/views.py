"""`/commitments`: the staff register (filters, pages), one commitment, the dashboard, and the
public listing of published commitments (no login; ID numbers masked)."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _

from workflows.core.identifiers import mask_subject_code
from workflows.kinds.commitment.register import (
    DATA_ITEMS,
    DISCLOSURE_NAMES,
    FULFILMENT_NAMES,
    TYPES,
    commitment_document,
    commitment_for,
    dashboard_for,
    export_commitments,
    filter_from_query,
    published,
    register_view,
)

from ..auth.identity import current_actor
from ..exports import csv_download
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from . import labels
from .blueprint import bp

PAGE = 50
EXPORT_LIMIT = 50_000
EXPORT_ITEMS = ("code", "subject_name", "subject_category", "subject_code", "commitment_type", "matter", "content",
                "liability", "made_on", "valid_until", "disclosure", "department_name", "fulfilment", "verified_on")


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {**labels.as_context(), "masked": mask_subject_code}  # ID numbers masked in lists (§E)


@bp.get("/")
@login_required_permission("may_read_commitments")
def register() -> str:
    runtime = get_runtime()
    wanted = filter_from_query(request.args, PAGE, request.args.get("cursor", type=int), request.args.get("newer", type=int))
    view = register_view(runtime.store, current_actor(), wanted, runtime.clock.now())
    return render_template("commitments/register.html", page=view.page, wanted=view.wanted,
                           departments=view.departments)


@bp.get("/export.csv")
@login_required_permission("may_read_commitments")
def export() -> Response:
    """The register's filtered rows in the national data standard's item names; ID numbers masked."""
    runtime = get_runtime()
    rows = export_commitments(runtime.store, current_actor(), filter_from_query(request.args, EXPORT_LIMIT),
                              runtime.clock.now(), EXPORT_LIMIT)
    header = [DATA_ITEMS[key] for key in EXPORT_ITEMS] + [_("Status")]
    return csv_download("commitments", header, rows, _cells)


def _cells(row) -> list[object]:
    """Chinese names of the coded items, as in the national data standard's exchange files."""
    document = commitment_document(row, show_personal=False)
    named = {"commitment_type": TYPES, "disclosure": DISCLOSURE_NAMES, "fulfilment": FULFILMENT_NAMES}
    values = [named[key].get(document[key], document[key]) if key in named else document.get(key) for key in EXPORT_ITEMS]
    return [("" if value is None else value) for value in values] + [labels.STATUSES.get(row.status, row.status)]


@bp.get("/<code>")
@login_required_permission("may_read_commitments")
def detail(code: str) -> str:
    return render_template("commitments/detail.html", row=commitment_for(get_runtime().store, current_actor(), code))


@bp.get("/dashboard")
@login_required_permission("may_read_commitments")
def board() -> str:
    runtime = get_runtime()
    return render_template("commitments/dashboard.html",
                           board=dashboard_for(runtime.store, current_actor(), runtime.clock.now()))


@bp.get("/public")
def public() -> str:
    """Anyone may look; only 可向社会公开 commitments the department accepted are listed."""
    query = request.args.get("q", "")
    page = published(get_runtime().store, query, PAGE, request.args.get("cursor", type=int))
    return render_template("commitments/public.html", page=page, query=query)
