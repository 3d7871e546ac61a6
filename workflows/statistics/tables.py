"""What a section hands to pages, exports and the report: tables, charts and headline figures.

Plain data only, so the web page, the CSV/XLSX exports and the PDF report show the same
numbers from one computation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = str | int | float | None


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    links: list[str | None] = field(default_factory=list)  # per row: the case page, when a row is a case
    note: str = ""


@dataclass
class Chart:
    key: str
    kind: str  # line | bar | pie
    title: str
    labels: list[str]  # x labels (line, bar) or slice names (pie)
    series: list[tuple[str, list[float | None]]]  # (name, values); a pie has one series
    table: str  # the key of the table shown beside it
    percent: bool = False


@dataclass
class Section:
    key: str
    title: str
    figures: dict[str, Any]
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def rate(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide by (shown as “—”)."""
    return round(part / whole, 4) if whole else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
