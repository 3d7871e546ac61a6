"""`GET /api/v1/outbox?after=<seq>`: ordered events for sharing partners (the credit platform)."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.engine.outbox import events_after
from workflows.core.errors import InvalidInput

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .schemas import OUTBOX_PAGE
from .util import parse_int


@bp.get("/outbox")
@api_permission("may_read_outbox")
@document("Events to share, in order: repair results, objection outcomes, commitments, interview records",
          tags=("integration",), parameters=(
              query_param("after", "return events with a sequence number above this", {"type": "integer"}),
              query_param("limit", "page size (1–1000, default 100)", {"type": "integer"})),
          responses={200: ("events after `after`, oldest first", OUTBOX_PAGE)})
def outbox():
    after = parse_int(request.args.get("after"), "after") if request.args.get("after") else 0
    limit = parse_int(request.args.get("limit"), "limit") if request.args.get("limit") else 100
    if not 1 <= limit <= 1000 or after < 0:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 1000")})
    page = events_after(get_runtime().store, current_actor(), after, limit)
    items = page.items
    return jsonify({"items": items, "next_cursor": str(items[-1]["seq"]) if page.more else None,
                    "last_seq": items[-1]["seq"] if items else after})
