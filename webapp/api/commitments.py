"""Commitment routes of the API: the register (staff), one commitment (staff; the subject
itself), the dashboard (staff), and the public listing (anyone; public commitments only, masked).

The platform reads fulfilment through these and the outbox (API.md); department officers see
their own department's commitments only, as on the register page.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.kinds.commitment.register import (
    DISCLOSURES,
    FULFILMENTS,
    STATUSES,
    commitment_body,
    dashboard_for,
    filter_from_query,
    published,
    register_documents,
)
from workflows.kinds.commitment.templates import TYPES
from workflows.core import limits
from workflows.core.errors import InvalidInput

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .schemas import DAY, INT, TEXT, obj
from .util import parse_int

TAGS = ("commitments",)
_COUNTS = {"total": INT, "accepted": INT, "fulfilled": INT, "breached": INT,
           "fulfilment_rate": {"type": ["number", "null"], "description": "践诺率; null before any verification"}}
DASHBOARD = obj({
    "as_of": DAY, "department_code": {"type": ["string", "null"], "description": "an officer's own department"},
    "total": INT, "by_status": {"type": "object", "additionalProperties": INT}, "fulfilled": INT, "breached": INT,
    "fulfilment_rate": _COUNTS["fulfilment_rate"],
    "by_type": {"type": "array", "items": obj({"type": TEXT, "name": TEXT, **_COUNTS})},
    "by_department": {"type": "array", "items": obj({"department_code": TEXT, "department_name": TEXT,
                                                     "overdue": INT, **_COUNTS})},
    "overdue": obj({"count": INT, "items": {"type": "array", "items": obj({
        "code": TEXT, "case_id": {"type": ["integer", "null"]}, "subject_name": TEXT, "subject_code": TEXT,
        "commitment_type": TEXT, "commitment_type_name": TEXT, "department_code": TEXT, "department_name": TEXT,
        "due_on": DAY, "days_overdue": INT})}})})
COMMITMENT = {"type": "object", "properties": {
    "code": {"type": "string", "description": "承诺编码: region (6) + date (8) + serial (6)"},
    "subject_name": {"type": "string"}, "subject_category": {"type": "string"},
    "subject_code": {"type": "string", "description": "USCC, or an ID number (masked in lists)"},
    "commitment_type": {"type": "string", "enum": list(TYPES)}, "commitment_type_name": {"type": "string"},
    "matter": {"type": "string"}, "content": {"type": "string"}, "liability": {"type": "string"},
    "made_on": {"type": "string", "format": "date"}, "valid_until": {"type": ["string", "null"], "format": "date"},
    "disclosure": {"type": "string", "enum": list(DISCLOSURES)}, "department_name": {"type": "string"},
    "status": {"type": "string", "enum": list(STATUSES)},
    "fulfilment": {"type": ["string", "null"], "enum": [*FULFILMENTS, None]},
    "unfulfilled": {"type": "string"}, "liability_action": {"type": "string"},
    "verified_on": {"type": ["string", "null"], "format": "date"}, "verified_by": {"type": "string"}}}
PAGE = {"type": "object", "properties": {"items": {"type": "array", "items": COMMITMENT},
                                         "next_cursor": {"type": ["string", "null"]}}}
QUERY = {"type": "string", "maxLength": limits.QUERY}
PAGING = (query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
          query_param("cursor", "from the previous page's next_cursor"))


@bp.get("/commitments")
@api_permission("may_read_commitments")
@document("The commitment register, newest first (department officers: their own department)", tags=TAGS,
          responses={200: ("a page of commitments", PAGE)}, parameters=(
              query_param("type", "commitment type", {"type": "string", "enum": list(TYPES)}),
              query_param("department", "accepting department code"),
              query_param("status", "state", {"type": "string", "enum": list(STATUSES)}),
              query_param("fulfilment", "verification result", {"type": "string", "enum": list(FULFILMENTS)}),
              query_param("q", "subject name (part), subject code or 承诺编码", QUERY),
              query_param("overdue", "1: accepted, verification date passed, not verified"), *PAGING))
def list_register():
    runtime = get_runtime()
    wanted = filter_from_query(request.args, _limit(), _cursor())
    page = register_documents(runtime.store, current_actor(), wanted, runtime.clock.now())
    return jsonify({"items": page.items, "next_cursor": _text(page.next_cursor)})


@bp.get("/commitments/dashboard")
@api_permission("may_read_commitments")
@document("Counts by type, department and status, fulfilment rate (践诺率), overdue verifications",
          tags=TAGS, responses={200: ("the dashboard", DASHBOARD)})
def register_dashboard():
    runtime = get_runtime()
    return jsonify(dashboard_for(runtime.store, current_actor(), runtime.clock.now()))


@bp.get("/commitments/<code>")
@api_permission(None)
@document("One commitment with its fulfilment (staff; the subject itself)", tags=TAGS, errors=(404,),
          responses={200: ("the commitment", COMMITMENT)})
def get_commitment(code: str):
    return jsonify(commitment_body(get_runtime().store, current_actor(), code))


@bp.get("/public/commitments")
@document("Published commitments (可向社会公开, accepted), searchable; ID numbers masked", tags=TAGS,
          responses={200: ("a page of commitments", PAGE)},
          parameters=(query_param("q", "subject name (part), subject code or 承诺编码", QUERY), *PAGING))
def list_public():
    page = published(get_runtime().store, request.args.get("q", ""), _limit(), _cursor())
    return jsonify({"items": page.items, "next_cursor": _text(page.next_cursor)})


def _limit() -> int:
    raw = request.args.get("limit")
    limit = parse_int(raw, "limit") if raw else 50
    if not 1 <= limit <= 200:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 200")})
    return limit


def _cursor() -> int | None:
    """Checked here so a bad cursor is a 400, not a silently restarted list."""
    raw = request.args.get("cursor")
    return parse_int(raw, "cursor") if raw else None


def _text(cursor: int | None) -> str | None:
    return str(cursor) if cursor is not None else None
