"""Local days in SQL and working days between them.

Durations are counted in working days (DOMAIN.md §G: the day received does not count, rest
days and 调休 from the calendar, the admin's overrides included). Queries group by the local
day pair (start, end) in SQL, which leaves a few hundred pairs for a year; the calendar then
numbers each day once, so a duration is a subtraction of two ordinals.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date

from workflows.core.calendar import WorkingCalendar


class local_day(FunctionElement):
    """The Asia/Shanghai calendar day of a stored UTC time (China keeps no daylight saving)."""

    type = Date()
    inherit_cache = True
    name = "local_day"


@compiles(local_day, "sqlite")
def _sqlite_day(element: local_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_day, "postgresql")
def _postgresql_day(element: local_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(timezone('Asia/Shanghai', {compiler.process(element.clauses, **kw)}) AS DATE)"


def day_of(column: Any) -> ColumnElement[date]:
    return local_day(column)


def as_day(value: Any) -> date | None:
    """SQLite answers 'YYYY-MM-DD' strings, PostgreSQL dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class WorkingDays:
    """Working-day ordinals for a span of days: days(a, b) = working days after a up to b."""

    def __init__(self, calendar: WorkingCalendar, days: Iterable[date]) -> None:
        known = [d for d in days if d is not None]
        self._ordinal: dict[date, int] = {}
        if not known:
            return
        day, last, count = min(known), max(known), 0
        while day <= last:
            count += calendar.is_working_day(day)
            self._ordinal[day] = count
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days counted from the day after `start` through `end` (0 when end ≤ start)."""
        return max(self._ordinal[end] - self._ordinal[start], 0) if end > start else 0


def weighted_percentile(pairs: list[tuple[int, int]], p: float) -> float | None:
    """The p-th percentile (nearest rank) of values given as (value, count) pairs."""
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    rank, seen = max(1, -(-total * p // 100)), 0
    for value, count in sorted(pairs):
        seen += count
        if seen >= rank:
            return float(value)
    return float(max(pairs)[0])
