"""Numbered pages with totals: what a list shows under its rows ("第 1–50 条，共 1,234 条").

Offsets, not cursors: people jump back and forth between pages; the total is one COUNT over
the same filtered query, read from the same indexes as the rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput

T = TypeVar("T")
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    number: int  # 1-based
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first(self) -> int:
        """1-based position of the first row shown (0 when there is none)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_number(raw: Any, name: str = "page") -> int:
    """A page number from a query string: 1 when absent, refused when not a positive number."""
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput("页码应为正整数", {name: "页码应为正整数"}) from None
    if not 1 <= number <= MAX_PAGE:
        raise InvalidInput("页码超出范围", {name: f"页码应在 1 至 {MAX_PAGE} 之间"})
    return number


def paginate(session: Session, query: Select, number: int, size: int) -> Page:
    """One page of `query` (already ordered) and the total of rows it would give."""
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = list(session.execute(query.limit(size).offset((number - 1) * size)).all())
    return Page(rows, total, number, size)


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """Newest first by id: `older` pages on (ids below it), `newer` pages back (ids above it)."""

    items: list[T]
    total: int
    older: int | None
    newer: int | None


def newest_first(session: Session, query: Select, id_column: Any, limit: int,
                 below: int | None = None, above: int | None = None) -> KeysetPage:
    """One page of an entity `query` (not yet ordered) by descending id, with the total.

    The total is one COUNT of the filtered query; the page itself stays a keyset read, so a
    deep page costs what the first does."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    if above is not None:
        rows = list(session.scalars(query.where(id_column > above).order_by(id_column.asc()).limit(limit + 1)))
        newer_exist, rows = len(rows) > limit, list(reversed(rows[:limit]))
        return KeysetPage(rows, total, rows[-1].id if rows else None, rows[0].id if newer_exist and rows else None)
    if below is not None:
        query = query.where(id_column < below)
    rows = list(session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    older = rows[limit - 1].id if len(rows) > limit else None
    return KeysetPage(rows[:limit], total, older, rows[0].id if below is not None and rows else None)
