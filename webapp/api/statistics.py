"""Statistics routes of the API (issue 18): the JSON twin of each /stats tab — the same
figures and tables the page, the exports and the quarterly report show."""
from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, request

from workflows.statistics import operations
from workflows.statistics.period import CASE_KINDS, KINDS, REGIMES, parse_scope

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param

TABLE = {"type": "object", "properties": {
    "key": {"type": "string"}, "title": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
    "rows": {"type": "array", "items": {"type": "array"}}, "links": {"type": "array"}, "note": {"type": "string"}}}
SECTION = {"type": "object", "properties": {
    "section": {"type": "string", "enum": list(operations.SECTIONS)}, "title": {"type": "string"},
    "period": {"type": "object", "properties": {"kind": {"type": "string"}, "start": {"type": "string", "format": "date"},
                                                "end": {"type": "string", "format": "date"}, "label": {"type": "string"}}},
    "filters": {"type": "object"},
    "figures": {"type": "object", "description": "headline figures by key (counts, rates 0–1 or null, working days)"},
    "tables": {"type": "array", "items": TABLE}}}


@bp.get("/statistics/<key>")
@api_permission("may_read_statistics")
@document("One statistics tab for a period: figures and tables (a department officer sees its own department)",
          tags=("statistics",), errors=(400, 404), responses={200: ("the tab's figures and tables", SECTION)},
          parameters=(
              query_param("period", "month, quarter (default), year or custom", {"type": "string", "enum": list(KINDS)}),
              query_param("year", "the period's year (default: this year)", {"type": "integer"}),
              query_param("quarter", "1–4 (period=quarter)", {"type": "integer"}),
              query_param("month", "1–12 (period=month)", {"type": "integer"}),
              query_param("start", "first day (period=custom)", {"type": "string", "format": "date"}),
              query_param("end", "last day (period=custom)", {"type": "string", "format": "date"}),
              query_param("department", "a department's code"),
              query_param("kind", "case kind (the open-task tab)", {"type": "string", "enum": list(CASE_KINDS)}),
              query_param("regime", "cases about records of this regime", {"type": "string", "enum": list(REGIMES)})))
def statistics_section(key: str):
    runtime = get_runtime()
    scope = parse_scope(request.args, runtime.clock.now())
    found = operations.read_section(runtime.store, runtime.calendar.get(), current_actor(), key, scope)
    period = scope.period
    return jsonify(section=found.key, title=found.title, figures=found.figures,
                   period={"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat(),
                           "label": period.label},
                   filters=scope.filters.as_query(), tables=[asdict(table) for table in found.tables])
