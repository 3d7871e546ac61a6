"""Counting stored rows."""
from __future__ import annotations

from sqlalchemy import func, select


def count(store, model, *where) -> int:
    """How many rows of `model` (matching `where`, if given) are stored."""
    query = select(func.count()).select_from(model)
    if where:
        query = query.where(*where)
    with store.read() as session:
        return session.scalar(query)


def minted(store) -> dict[str, object]:
    """What a refused or repeated request must not have written: cases, audit events, letters,
    outbox events and every counter (letter numbers, commitment codes) as it stands."""
    from workflows.core.models.cases import Case, CaseEvent, OutboxEvent
    from workflows.core.models.letters import Letter, Sequence
    with store.read() as session:
        counters = dict(session.execute(select(Sequence.series + ":" + Sequence.period, Sequence.last_value)).all())
    return {"cases": count(store, Case), "events": count(store, CaseEvent), "letters": count(store, Letter),
            "outbox": count(store, OutboxEvent), "counters": counters}
