"""Gap-free serial numbers per series and period (发文字号 per letter type and year).

The counter row is incremented inside the caller's transaction and locked until it
commits, so a failed issue rolls the number back (no gaps) and parallel issuers queue
(no duplicates). SQLite gets the same effect from the write transaction's file lock.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from workflows.models import Sequence


def next_serial(session: Session, series: str, period: str) -> int:
    """One upsert: creates the counter or increments it, and keeps the row locked until commit."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(Sequence).values(series=series, period=period, last_value=1)
                 .on_conflict_do_update(index_elements=["series", "period"],
                                        set_={"last_value": Sequence.last_value + 1})
                 .returning(Sequence.last_value))
    return session.execute(statement).scalar_one()


def peek_serial(session: Session, series: str, period: str) -> int:
    """The last number handed out (0 if none): for previews and tests, never for issuing."""
    query = select(Sequence.last_value).where(Sequence.series == series, Sequence.period == period)
    return session.scalar(query) or 0

