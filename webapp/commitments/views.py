"""`/commitments`: the staff register (filters, pages), one commitment, the dashboard, and the
public listing of published commitments (no login; ID numbers masked)."""
from __future__ import annotations

from flask import render_template, request

from workflows.core.identifiers import mask_subject_code
from workflows.kinds.commitment.register import commitment_for, dashboard_for, filter_from_query, published, register_view

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from . import labels
from .blueprint import bp

PAGE = 50


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {**labels.as_context(), "masked": mask_subject_code}  # ID numbers masked in lists (§E)


@bp.get("/")
@login_required_permission("may_read_commitments")
def register() -> str:
    runtime = get_runtime()
    wanted = filter_from_query(request.args, PAGE, request.args.get("cursor", type=int))
    view = register_view(runtime.store, current_actor(), wanted, runtime.clock.now())
    return render_template("commitments/register.html", page=view.page, wanted=view.wanted,
                           departments=view.departments)


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
