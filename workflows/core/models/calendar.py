"""Working-day overrides the credit office sets for years the `holidays` package does not know."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base


class CalendarOverride(Base):
    """Admin corrections to the holidays package: a rest day or a make-up working day."""

    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)  # True: make-up working day; False: holiday
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class CalendarYear(Base):
    """A year whose State Council holiday notice the admin has entered as overrides and
    confirmed; deadlines in it are then no longer provisional (issue 14 §5)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(String(200), default="")
    confirmed_by: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime]
