"""Read side of the calendar overrides, shared by the admin page and its API twin."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.calendar import WorkingCalendar, package_is_working_day, published_through
from workflows.core.models import CalendarOverride


def list_overrides(session: Session) -> list[CalendarOverride]:
    return list(session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))


def find_override(session: Session, day: date) -> CalendarOverride | None:
    return session.get(CalendarOverride, day)


@dataclass(frozen=True)
class DayCheck:
    """Why a day is or is not a working day: the admin wants to see the package's view too."""

    day: date
    working: bool
    package_working: bool
    override: CalendarOverride | None


def check_day(session: Session, calendar: WorkingCalendar, day: date) -> DayCheck:
    return DayCheck(day, calendar.is_working_day(day), package_is_working_day(day),
                    find_override(session, day))


def missing_official_year(today: date) -> int | None:
    """Next year, if the holidays package has no State Council data for it yet."""
    return today.year + 1 if published_through() < today.year + 1 else None
