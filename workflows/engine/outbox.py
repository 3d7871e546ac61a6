"""The shared-events feed (`GET /api/v1/outbox`): what the credit platform reads, in order.

Actions put events on the outbox in their step's transaction; this reads them back in one
read transaction, permission checked first. An event written by a step that issued letters
(`letter_id`: the step's last letter) goes out once that letter and every earlier letter of its
case are rendered and archived: the feed stops just before the first event still waiting, so
the order is kept and a reader's cursor never skips an event.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from workflows.core.models.cases import OutboxEvent
from workflows.core.models.letters import PENDING, Letter
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
        query = select(OutboxEvent).where(OutboxEvent.seq > after)
        waiting = first_waiting(session, after)
        if waiting is not None:
            query = query.where(OutboxEvent.seq < waiting)
        rows = session.scalars(query.order_by(OutboxEvent.seq).limit(limit + 1)).all()
        items = [{"seq": r.seq, "kind": r.kind, "case_id": r.case_id, "payload": r.payload,
                  "created_at": iso(r.created_at)} for r in rows[:limit]]
    return OutboxPage(items, len(rows) > limit)


def first_waiting(session, after: int) -> int | None:
    """The first event after `after` whose letters are not archived yet (None: none waits).
    Driven by the pending letters, which are few (index on letter.status)."""
    query = (select(func.min(OutboxEvent.seq))
             .select_from(Letter)
             .join(OutboxEvent, and_(OutboxEvent.case_id == Letter.case_id, OutboxEvent.letter_id >= Letter.id))
             .where(Letter.status == PENDING, OutboxEvent.seq > after))
    return session.scalar(query)
