"""`GET /api/v1/outbox?after=<seq>`: ordered events for sharing partners (the credit platform)."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from workflows.engine.case_view import iso
from workflows.core.errors import InvalidInput
from workflows.engine.models import OutboxEvent

from ..auth.identity import api_auth
from ..runtime import get_runtime
from . import bp
from .openapi import document, query_param
from .util import parse_int


@bp.get("/outbox")
@api_auth("integration", "admin", "auditor")
@document("Events to share, in order: repair results, objection outcomes, commitments, interview records",
          tags=("integration",), parameters=(
              query_param("after", "return events with a sequence number above this", {"type": "integer"}),
              query_param("limit", "page size (1–1000, default 100)", {"type": "integer"})))
def outbox():
    after = parse_int(request.args.get("after"), "after") if request.args.get("after") else 0
    limit = parse_int(request.args.get("limit"), "limit") if request.args.get("limit") else 100
    if not 1 <= limit <= 1000 or after < 0:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 1000")})
    with get_runtime().store.read() as session:
        rows = session.scalars(select(OutboxEvent).where(OutboxEvent.seq > after)
                               .order_by(OutboxEvent.seq).limit(limit + 1)).all()
    items = [{"seq": r.seq, "kind": r.kind, "case_id": r.case_id, "payload": r.payload,
              "created_at": iso(r.created_at)} for r in rows[:limit]]
    more = len(rows) > limit
    return jsonify({"items": items, "next_cursor": str(items[-1]["seq"]) if more else None,
                    "last_seq": items[-1]["seq"] if items else after})
