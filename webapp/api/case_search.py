"""`GET /api/v1/cases`: the desk's case search (API.md: lists of cases accept `q`)."""
from __future__ import annotations

from flask import jsonify, request

from workflows.engine.case_view import task_document
from workflows.search import KINDS, SORTS, STATES, CaseSearch, search_cases
from workflows.search.cases import CaseRow

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .schemas import INT, MOMENT, TEXT, TASK, nullable, obj, page
from .tasks import _limit
from .util import iso_local

CASE_ROW = obj({"id": INT, "kind": TEXT, "status": TEXT, "outcome": nullable(TEXT), "title": TEXT,
                "subject_code": nullable(TEXT), "subject_name": nullable(TEXT), "department_code": nullable(TEXT),
                "received_at": MOMENT, "next_due": nullable(MOMENT), "tasks": {"type": "array", "items": TASK}})


@bp.get("/cases")
@api_permission("may_use_desk")
@document("Search cases (staff): by case number, subject name or code, record number", tags=("cases",), parameters=(
    query_param("q", "case number (`#12`), subject name (part) or code, record decision number (part)"),
    query_param("kind", "case kind", {"type": "string", "enum": list(KINDS)}),
    query_param("department", "department code"),
    query_param("state", "case state", {"type": "string", "enum": list(STATES)}),
    query_param("sort", "`received` (newest first, default) or `due` (soonest open task first)",
                {"type": "string", "enum": list(SORTS)}),
    query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
    query_param("cursor", "from the previous page's next_cursor")),
          errors=(400,), responses={200: ("a page of cases and the total", page(CASE_ROW, total=INT))})
def list_cases():
    wanted = CaseSearch.from_args(request.args)
    found = search_cases(get_runtime().store, current_actor(), wanted, request.args.get("cursor"),
                         _limit(request.args.get("limit")))
    rows = found.page
    return jsonify({"items": [_document(row) for row in rows.items], "total": rows.total,
                    "next_cursor": str(rows.number + 1) if rows.has_next else None})


def _document(row: CaseRow) -> dict:
    return {"id": row.id, "kind": row.kind, "status": row.status, "outcome": row.outcome, "title": row.title,
            "subject_code": row.subject_code, "subject_name": row.subject_name, "department_code": row.department_code,
            "received_at": iso_local(row.received_at), "next_due": iso_local(row.next_due) if row.next_due else None,
            "tasks": [task_document(task) for task in row.tasks]}
