"""Early-warning routes of the API (Xiamen seed §24): list (scoped to a department's inbox), one
warning with its evidence, scan now (credit office), close after the interview."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.core.errors import InvalidInput
from workflows.engine.rules import RuleBook
from workflows.warnings import operations
from workflows.warnings.queries import warning_for, warning_list

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .util import json_body, parse_int

TAGS = ("warnings",)
REASON = {"type": "object", "properties": {
    "count": {"type": "integer"}, "threshold": {"type": "integer"}, "window_days": {"type": "integer"}}}
WARNING = {"type": "object", "properties": {
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ["open", "closed"]},
    "subject_code": {"type": "string", "description": "resident ID numbers masked in lists"},
    "subject_name": {"type": "string"},
    "reasons": {"type": "object", "description": "the rules that fired: penalty_count, department_count, "
                "serious_list_count", "additionalProperties": REASON},
    "evidence_total": {"type": "integer"}, "departments": {"type": "array"},
    "created_at": {"type": "string"}, "updated_at": {"type": "string"},
    "closed_at": {"type": ["string", "null"]}, "closed_by": {"type": ["string", "null"]},
    "close_note": {"type": ["string", "null"]},
    "records": {"type": "array", "description": "evidence records (detail only): id, kind, decision_no, "
                "decision_date, department_code, department_name, publicity_status"}}}
PAGE = {"type": "object", "properties": {"items": {"type": "array", "items": WARNING},
                                         "next_cursor": {"type": ["string", "null"]}}}
REPORT = {"type": "object", "properties": {
    "scan_date": {"type": "string", "format": "date"}, "new": {"type": "integer"},
    "updated": {"type": "integer"}, "unchanged": {"type": "integer"},
    "thresholds": {"type": "object", "description": "from the DMN table warning_thresholds"}}}
CLOSE = {"type": "object", "required": ["note"], "properties": {"note": {"type": "string", "maxLength": 500}}}


@bp.get("/warnings")
@api_permission("may_read_warnings")
@document("Credit risk warnings, newest first; a department officer sees its own inbox only", tags=TAGS,
          errors=(400,), responses={200: ("a page of warnings", PAGE)}, parameters=(
              query_param("status", "open (default), closed or all", {"type": "string",
                                                                      "enum": ["open", "closed", "all"]}),
              query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
              query_param("cursor", "from the previous page's next_cursor")))
def list_warnings():
    status = request.args.get("status", "open")
    if status not in ("open", "closed", "all"):
        raise InvalidInput(_("Unknown warning status."), {"status": "open / closed / all"})
    limit = parse_int(request.args["limit"], "limit") if request.args.get("limit") else 50
    if not 1 <= limit <= 200:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 200")})
    cursor = parse_int(request.args["cursor"], "cursor") if request.args.get("cursor") else None
    items, next_cursor = warning_list(get_runtime().store, current_actor(), None if status == "all" else status,
                                      limit, cursor)
    return jsonify({"items": items, "next_cursor": str(next_cursor) if next_cursor else None})


@bp.get("/warnings/<int:warning_id>")
@api_permission("may_read_warnings")
@document("A warning with its departments and evidence records", tags=TAGS, errors=(404,),
          responses={200: ("the warning", WARNING)})
def get_warning(warning_id: int):
    return jsonify(warning_for(get_runtime().store, current_actor(), warning_id))


@bp.post("/warnings/scan")
@api_permission("may_scan_warnings")
@document("Scan the credit records for early warnings now (idempotent)", tags=TAGS,
          responses={200: ("how many warnings were created, updated and left unchanged", REPORT)})
def scan_warnings():
    runtime = get_runtime()
    report = operations.scan_now(runtime.store, RuleBook(runtime.specs.current), current_actor(), runtime.clock.now())
    return jsonify(report.as_dict())


@bp.post("/warnings/<int:warning_id>/close")
@api_permission("may_close_warnings")
@document("Close an open warning (after the interview), with a note", tags=TAGS, request=CLOSE,
          errors=(400, 404, 409), responses={200: ("the closed warning", WARNING)})
def close_warning(warning_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    note = body.get("note")
    operations.close(runtime.store, actor, warning_id, note if isinstance(note, str) else "", runtime.clock.now())
    return jsonify(warning_for(runtime.store, actor, warning_id))
