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
