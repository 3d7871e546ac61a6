"""`GET /api/v1/audit`: the audit log, newest first (twin of /admin/audit; auditors and admins)."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _

from workflows.administration.audit_log import AuditEntry, audit_page, parse_filter
from workflows.core.errors import InvalidInput

from ..auth import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .util import iso_local, parse_int

MAX_LIMIT = 200
ENTRY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
    "actor_name": {"type": "string"},
    "kind": {"type": "string"}, "case_id": {"type": ["integer", "null"]},
    "subject_code": {"type": ["string", "null"]}, "summary": {"type": "string"},
    "before": {"type": ["object", "null"]}, "after": {"type": ["object", "null"]}}}
PAGE = {"type": "object", "properties": {
    "items": {"type": "array", "items": ENTRY}, "next_cursor": {"type": ["string", "null"]}}}
DAY = {"type": "string", "format": "date", "maxLength": 10}


@bp.get("/audit")
@document("The audit log, newest first; dates are Asia/Shanghai days, inclusive", tags=("audit",),
          parameters=(query_param("case_id", "only this case", {"type": "integer"}),
                      query_param("subject_code", "only cases of this subject", {"type": "string", "maxLength": 18}),
                      query_param("actor", "only this user", {"type": "string", "maxLength": 64}),
                      query_param("kind", "only this event kind, e.g. task_completed",
                                  {"type": "string", "maxLength": 48}),
                      query_param("since", "from this day", DAY), query_param("until", "to this day", DAY),
                      query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
                      query_param("cursor", "from the previous page's next_cursor")),
          responses={200: ("A page of audit entries", PAGE)}, errors=(400,))
@api_permission("may_read_audit_log")
def audit_log() -> Response:
    wanted, cursor = parse_filter(request.args)
    page = audit_page(get_runtime().store, current_actor(), wanted, cursor, _limit(request.args.get("limit")))
    return jsonify(items=[entry_json(row) for row in page.items],
                   next_cursor=str(page.next_cursor) if page.next_cursor else None)


def _limit(text: str | None) -> int:
    limit = parse_int(text, "limit") if text else 50
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 200")})
    return limit


def entry_json(row: AuditEntry) -> dict[str, object]:
    return {"id": row.id, "at": iso_local(row.at), "actor": row.actor, "actor_name": row.actor_name,
            "kind": row.kind, "case_id": row.case_id,
            "subject_code": row.subject_code, "summary": row.summary, "before": row.before, "after": row.after}
