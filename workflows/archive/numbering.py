"""Gap-free serial numbers per series and period (发文字号 per letter type and year).

The counter row is incremented inside the caller's transaction and locked until it
commits, so a failed issue rolls the number back (no gaps) and parallel issuers queue
(no duplicates). SQLite gets the same effect from the write transaction's file lock.
"""
from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from workflows.core.models.letters import Sequence


RESERVED = "credit_cases_reserved_serials"  # session.info key: (series, period) -> serial


def next_serial(session: Session, series: str, period: str) -> int:
    """One upsert: creates the counter or increments it, and keeps the row locked until commit.
    A number reserved earlier in the transaction (`reserve_serials`) is handed out instead."""
    reserved = session.info.get(RESERVED)
    if reserved and (series, period) in reserved:
        return reserved.pop((series, period))
    return _increment(session, [(series, period)])[(series, period)]


def reserve_serials(session: Session, counters: list[tuple[str, str]]) -> None:
    """Take the next number of several counters in one statement (a step that issues several
    numbered documents saves round trips); `next_serial` hands them out later in this
    transaction. A reservation left unused fails the commit: it would be a gap."""
    if len(set(counters)) != len(counters):
        raise ValueError("each counter can be reserved once per call")
    reserved = session.info.setdefault(RESERVED, {})
    taken = [c for c in counters if c in reserved]
    if taken:
        raise ValueError(f"already reserved: {taken}")
    reserved.update(_increment(session, counters))
    if not session.info.get(RESERVED + ":guard"):
        event.listen(session, "before_commit", _refuse_unused_reservations)
        session.info[RESERVED + ":guard"] = True


def _increment(session: Session, counters: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(Sequence).values([{"series": s, "period": p, "last_value": 1} for s, p in counters])
                 .on_conflict_do_update(index_elements=["series", "period"],
                                        set_={"last_value": Sequence.last_value + 1})
                 .returning(Sequence.series, Sequence.period, Sequence.last_value))
    return {(series, period): value for series, period, value in session.execute(statement)}


def _refuse_unused_reservations(session: Session) -> None:
    unused = session.info.get(RESERVED)
    if unused:
        raise RuntimeError(f"reserved serial numbers were not used (a gap): {sorted(unused)}")


def peek_serial(session: Session, series: str, period: str) -> int:
    """The last number handed out (0 if none): for previews and tests, never for issuing."""
    query = select(Sequence.last_value).where(Sequence.series == series, Sequence.period == period)
    return session.scalar(query) or 0

