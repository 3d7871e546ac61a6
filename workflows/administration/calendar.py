"""The admin's working-day overrides (调休): read them, check a day, set or remove one; confirm
a year once its State Council notice is entered (its deadlines stop being provisional).

Shared by `/admin/calendar` and its API twin; each function opens its own transaction (the
writes go through `CalendarSource`, which also drops its cached calendar).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from workflows.core.calendar import (
    WorkingCalendar,
    official_years,
    package_is_working_day,
    published_through,
)
from workflows.core.calendar_source import CalendarSource
from workflows.core.clock import to_local
from workflows.core.date_rules import from_today, refuse_dates
from workflows.core.models.calendar import CalendarOverride, CalendarYear
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require


@dataclass(frozen=True)
class DayCheck:
    """Why a day is or is not a working day: the admin wants to see the package's view too."""

    day: date
    working: bool
    package_working: bool
    override: CalendarOverride | None


def list_overrides(store: Store) -> list[CalendarOverride]:
    with store.read() as session:
        return list(session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))


def overrides_page(store: Store) -> tuple[list[CalendarOverride], dict[str, str]]:
    """The overrides by day, and the names of who set them (username → name)."""
    with store.read() as session:
        rows = list(session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))
        return rows, display_names(session, (row.created_by for row in rows))


def find_override(store: Store, day: date) -> CalendarOverride | None:
    with store.read() as session:
        return session.get(CalendarOverride, day)


def check_day(store: Store, calendar: WorkingCalendar, day: date) -> DayCheck:
    return DayCheck(day, calendar.is_working_day(day), package_is_working_day(day), find_override(store, day))


def missing_official_year(today: date, store: Store | None = None) -> int | None:
    """Next year, if neither the holidays package nor an admin's confirmation covers it yet."""
    year = today.year + 1
    if published_through() >= year:
        return None
    if store is not None:
        with store.read() as session:
            if session.get(CalendarYear, year) is not None:
                return None
    return year


@dataclass(frozen=True)
class YearStatus:
    """Where a year's working days come from: `official` (the package has the notice),
    `confirmed` (an admin entered and confirmed it) or `provisional` (an estimate)."""

    year: int
    status: str
    confirmation: CalendarYear | None


def year_statuses(store: Store, today: date) -> tuple[list[YearStatus], dict[str, str]]:
    """This year, next year and every confirmed year, with who confirmed (username → name)."""
    with store.read() as session:
        rows = {row.year: row for row in session.scalars(select(CalendarYear))}
        names = display_names(session, (row.confirmed_by for row in rows.values()))
    official = official_years()
    statuses = [YearStatus(y, "official" if y in official else "confirmed" if y in rows else "provisional", rows.get(y))
                for y in sorted({today.year, today.year + 1} | set(rows))]
    return statuses, names


def confirm_year(source: CalendarSource, actor: Actor, year: int, note: str) -> CalendarYear | None:
    """Mark a year's notice as entered (audited); returns the stored confirmation."""
    require(actor, "may_manage_calendar", "只有信用办可以维护工作日历")
    source.confirm_year(year, note, actor.username)
    with source.store.read() as session:
        return session.get(CalendarYear, year)


def unconfirm_year(source: CalendarSource, actor: Actor, year: int) -> bool:
    """Withdraw a year's confirmation; False when there was none."""
    require(actor, "may_manage_calendar", "只有信用办可以维护工作日历")
    return source.unconfirm_year(year, actor.username)


def set_day(source: CalendarSource, actor: Actor, day: date, working: bool, note: str) -> CalendarOverride | None:
    """Make a day a working day or a rest day (audited); returns the stored override."""
    require(actor, "may_manage_calendar", "只有信用办可以维护工作日历")
    _not_past(source, day)
    source.set_override(day, working, note, actor.username)
    return find_override(source.store, day)


def clear_day(source: CalendarSource, actor: Actor, day: date) -> bool:
    """Remove a day's override; False when there was none."""
    require(actor, "may_manage_calendar", "只有信用办可以维护工作日历")
    _not_past(source, day)
    return source.remove_override(day, actor.username)


def _not_past(source: CalendarSource, day: date) -> None:
    """Deadlines already counted over a past day keep it as it was: only today and later change."""
    errors: dict[str, str] = {}
    from_today(day, to_local(source.clock.now()).date(), "day", "调整的日期", errors)
    refuse_dates("已过去的日期不能再调整", errors)
