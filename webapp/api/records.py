"""Credit-record routes of the API (API.md): create, read, list, subjects, 逢办必查 check."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from workflows import records
from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.engine.rules import RuleBook
from workflows.records.operations import register_record
from workflows.records.validation import MAX_MEASURES, MEASURE_FIELDS, MISCONDUCT_NAMES, TEXT_FIELDS
from workflows.records.queries import record_for, record_list, subject_check, subject_for

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .schemas import INT, RECORD, SUBJECT, TEXT, obj, page
from .util import json_body, parse_int

TAGS = ("records",)
MEASURE = {"type": "object", "required": ["name"], "properties": {
    key: {"type": "string", "maxLength": size} for key, (_label, size) in MEASURE_FIELDS.items()}}
SIZED = {key: {"type": "string", "maxLength": size} for key, (_label, size) in TEXT_FIELDS.items()}
RECORD_REQUEST = {"type": "object", "required": [
    "subject_code", "kind", "severity", "decision_no", "decision_date", "department_code",
    "department_name", "facts", "basis", "content"], "properties": {
    "subject_code": {"type": "string", "description": "统一社会信用代码 or resident ID number"},
    "subject_name": {"type": "string", "maxLength": TEXT_FIELDS["subject_name"][1],
                     "description": "required when the subject is not registered yet"},
    "kind": {"type": "string", "enum": list(records.PUBLIC_KINDS)},
    "severity": {"type": "string", "enum": list(records.SEVERITIES)},
    "decision_date": {"type": "string", "format": "date"}, **SIZED, "sector": {"type": "string", "examples": ["special_equipment", "work_safety", "fire"]},
    "fine_amount": {"type": ["string", "number"], "description": "yuan, at most two decimals"},
    "misconduct_category": {"type": "string", "enum": ["", *MISCONDUCT_NAMES],
                            "description": "失信行为类别; the repairability rule (DMN record_repairability) judges it"},
    "non_repairable": {"type": "boolean", "description": "manual tick (不可修复), ORed with the category rule"},
    "measures": {"type": "array", "maxItems": MAX_MEASURES, "items": MEASURE}}}
APPLIED = obj({"measure_id": INT, "record_id": INT, "record_decision_no": TEXT, "record_kind": TEXT,
               "department_name": TEXT, "name": TEXT, "basis": TEXT, "implementing_department": TEXT})
SUSPENDED = {**APPLIED, "required": [*APPLIED["required"], "reason", "case_id"], "properties": {
    **APPLIED["properties"], "reason": TEXT, "case_id": {"type": ["integer", "null"]}}}
CHECK = obj({"code": TEXT, "name": {"type": ["string", "null"]}, "active_measures": {"type": "array", "items": APPLIED},
             "suspended_measures": {"type": "array", "items": SUSPENDED}})


def rules() -> RuleBook:
    return RuleBook(get_runtime().specs.current)


@bp.post("/records")
@api_permission("may_create_records")
@document("Create a credit record (regime and publicity window from the DMN rules)", tags=TAGS,
          request=RECORD_REQUEST, errors=(400, 403, 409, 422), responses={201: ("the record", RECORD)})
def create_record():
    runtime = get_runtime()
    return jsonify(register_record(runtime.store, rules(), current_actor(), json_body(), runtime.clock.now())), 201


@bp.get("/records")
@api_permission("may_read_records")
@document("Credit records, newest first", tags=TAGS, parameters=(
    query_param("q", "subject code, or part of the subject name or decision number",
                {"type": "string", "maxLength": limits.QUERY}),
    query_param("kind", "record kind"), query_param("status", "publicity status"),
    query_param("subject_code", "only this subject"),
    query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
    query_param("cursor", "from the previous page's next_cursor")),
          errors=(400,), responses={200: ("a page of records (ID numbers masked)", page(RECORD))})
def list_records():
    limit = _limit(request.args.get("limit"))
    cursor = parse_int(request.args["cursor"], "cursor") if request.args.get("cursor") else None
    wanted = records.RecordFilter(text=request.args.get("q", ""), kind=request.args.get("kind") or None,
                                  status=request.args.get("status") or None,
                                  subject_code=request.args.get("subject_code") or None)
    page = record_list(get_runtime().store, current_actor(), wanted, limit, cursor)
    return jsonify({"items": page.items, "next_cursor": page.next_cursor})


@bp.get("/records/<int:record_id>")
@api_permission(None)
@document("A credit record with its measures and history", tags=TAGS, errors=(404,),
          responses={200: ("the record", RECORD)})
def get_record(record_id: int):
    return jsonify(record_for(get_runtime().store, current_actor(), record_id))


@bp.get("/subjects/<code>")
@api_permission(None)
@document("A subject with its credit records", tags=TAGS, errors=(400, 404),
          responses={200: ("the subject", SUBJECT)})
def get_subject(code: str):
    return jsonify(subject_for(get_runtime().store, current_actor(), code))


@bp.get("/check/<code>")
@api_permission("may_check_subjects")
@document("逢办必查: the punishments to apply to a subject now (suspended ones apart); staff and system "
          "clients for any subject, an applicant only for its own", tags=TAGS,
          errors=(400, 403), responses={200: ("the check result", CHECK)})
def check(code: str):
    return jsonify(subject_check(get_runtime().store, current_actor(), code))


def _limit(raw: str | None) -> int:
    limit = parse_int(raw, "limit") if raw else 50
    if not 1 <= limit <= 200:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 200")})
    return limit
