"""Gap-free serial numbers per series and period (发文字号 per letter type and year).

The counter row is incremented inside the caller's transaction and locked until it
commits, so a failed issue rolls the number back (no gaps) and parallel issuers queue
(no duplicates). SQLite gets the same effect from the write transaction's file lock.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from workflows.models import Sequence


def next_serial(session: Session, series: str, period: str) -> int:
    _ensure_counter(session, series, period)
    query = select(Sequence).where(Sequence.series == series, Sequence.period == period).with_for_update()
    counter = session.scalars(query).one()
    counter.last_value += 1
    session.flush()
    return counter.last_value


def peek_serial(session: Session, series: str, period: str) -> int:
    """The last number handed out (0 if none): for previews and tests, never for issuing."""
    query = select(Sequence.last_value).where(Sequence.series == series, Sequence.period == period)
    return session.scalar(query) or 0


def _ensure_counter(session: Session, series: str, period: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        statement = pg_insert(Sequence).values(series=series, period=period, last_value=0)
        session.execute(statement.on_conflict_do_nothing(index_elements=["series", "period"]))
        return
    exists = select(Sequence.id).where(Sequence.series == series, Sequence.period == period)
    if session.scalar(exists) is None:
        session.add(Sequence(series=series, period=period, last_value=0))
        session.flush()
