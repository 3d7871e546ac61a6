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
