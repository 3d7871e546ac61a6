"""`/commitments`: the staff register (filters, pages), one commitment, the dashboard, and the
public listing of published commitments (no login; ID numbers masked)."""
from __future__ import annotations

from flask import render_template, request

from workflows.kinds.commitment.register import (
    dashboard,
    department_choices,
    department_scope,
    filter_from_query,
    list_commitments,
    public_commitments,
    readable_commitment,
    scoped,
)
from workflows.core.identifiers import mask_subject_code

from ..auth.identity import current_actor, login_required_roles
from ..runtime import get_runtime
from . import bp, labels

STAFF = ("reviewer", "supervisor", "department", "admin", "auditor")
IMPORTERS = ("department", "admin")
PAGE = 50


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return {**labels.as_context(), "masked": mask_subject_code}  # ID numbers masked in lists (§E)


@bp.get("/")
@login_required_roles(*STAFF)
def register() -> str:
    runtime, actor = get_runtime(), current_actor()
    wanted = scoped(actor, filter_from_query(request.args, PAGE, request.args.get("cursor", type=int)))
    with runtime.store.read() as session:
        page = list_commitments(session, wanted, runtime.clock.now())
        departments = department_choices(session) if department_scope(actor) is None else []
    return render_template("commitments/register.html", page=page, wanted=wanted, departments=departments,
                           may_import=actor.has(*IMPORTERS))


@bp.get("/<code>")
@login_required_roles(*STAFF)
def detail(code: str) -> str:
    with get_runtime().store.read() as session:
        row = readable_commitment(session, current_actor(), code)
    return render_template("commitments/detail.html", row=row)


@bp.get("/dashboard")
@login_required_roles(*STAFF)
def board() -> str:
    runtime = get_runtime()
    department = department_scope(current_actor())
    with runtime.store.read() as session:
        numbers = dashboard(session, runtime.clock.now(), department_code=department)
    return render_template("commitments/dashboard.html", board=numbers)


@bp.get("/public")
def public() -> str:
    """Anyone may look; only 可向社会公开 commitments the department accepted are listed."""
    query = request.args.get("q", "")
    with get_runtime().store.read() as session:
        page = public_commitments(session, query, PAGE, request.args.get("cursor", type=int))
    return render_template("commitments/public.html", page=page, query=query)

