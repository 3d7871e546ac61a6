"""Dates people type, checked against today (the runtime's clock) and against each other.

A well-formed date can still be impossible: an interview four days gone, a commitment valid
until last year, a decision made tomorrow. Each check adds a Chinese message under the field's
name to `errors`; `refuse_dates` turns them into one 422 (RuleViolation), so the UI and the
API refuse alike and nothing is written.
"""
from __future__ import annotations

from datetime import date, datetime

from workflows.core.clock import to_local
from workflows.core.errors import RuleViolation


def after_now(moment: datetime | None, now: datetime, name: str, label: str, errors: dict[str, str]) -> None:
    """A time something will happen (an interview): later than now."""
    if moment is not None and moment <= now:
        errors[name] = f"{label}已过（现在是 {to_local(now):%Y-%m-%d %H:%M}），请选择今后的时间"


def from_today(day: date | None, today: date, name: str, label: str, errors: dict[str, str]) -> None:
    """A day still to come or today (valid until, verify on, a training session)."""
    if day is not None and day < today:
        errors[name] = f"{label}不能早于今天（{today.isoformat()}）"


def until_today(day: date | None, today: date, name: str, label: str, errors: dict[str, str]) -> None:
    """A day that has already happened (a decision, an attendance): not in the future."""
    if day is not None and day > today:
        errors[name] = f"{label}不能晚于今天（{today.isoformat()}）"


def not_later_than(day: date | None, bound: date | None, name: str, label: str, bound_label: str,
                   errors: dict[str, str]) -> None:
    """Two days of one form in their order (verify on ≤ valid until)."""
    if day is not None and bound is not None and day > bound and name not in errors:
        errors[name] = f"{label}不能晚于{bound_label}（{bound.isoformat()}）"


def refuse_dates(message: str, errors: dict[str, str]) -> None:
    if errors:
        raise RuleViolation(message, errors)
