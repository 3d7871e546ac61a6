"""The shared-events feed (`GET /api/v1/outbox`): what the credit platform reads, in order.

Actions put events on the outbox in their step's transaction; this reads them back in one
read transaction, permission checked first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workflows.core.models.cases import OutboxEvent
from workflows.core.store import Store
from workflows.engine.case_view import iso
from workflows.people.access import Actor
from workflows.people.permissions import require


@dataclass(frozen=True)
class OutboxPage:
    items: list[dict[str, Any]]
    more: bool  # another page follows the last item


def events_after(store: Store, actor: Actor, after: int, limit: int) -> OutboxPage:
    """Up to `limit` events with a sequence number above `after`, oldest first."""
    require(actor, "may_read_outbox")
    with store.read() as session:
        rows = session.scalars(select(OutboxEvent).where(OutboxEvent.seq > after)
                               .order_by(OutboxEvent.seq).limit(limit + 1)).all()
        items = [{"seq": r.seq, "kind": r.kind, "case_id": r.case_id, "payload": r.payload,
                  "created_at": iso(r.created_at)} for r in rows[:limit]]
    return OutboxPage(items, len(rows) > limit)
