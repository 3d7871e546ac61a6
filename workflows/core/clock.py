"""One injectable clock for the whole product (DESIGN.md principle 5).

Everything that needs "now" asks a `Clock`. Production uses `SystemClock`; tests use
`FrozenClock` and move it explicitly, so deadlines and timers are reproducible.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware, in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FrozenClock:
    """A clock that only moves when told to; safe to share between threads."""

    def __init__(self, at: datetime | str) -> None:
        self._lock = threading.Lock()
        self._now = _aware(at)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, at: datetime | str) -> None:
        with self._lock:
            self._now = _aware(at)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        with self._lock:
            self._now += delta or timedelta(**kwargs)
            return self._now


def _aware(at: datetime | str) -> datetime:
    value = datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(timezone.utc)


def to_local(moment: datetime) -> datetime:
    """Show times in Asia/Shanghai; naive values are UTC as stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def as_utc(moment: datetime) -> datetime:
    """Normalise a datetime read back from a database (SQLite drops the offset)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


class FixedClock:
    """A clock pinned to one instant, e.g. the `now` a timer sweep was asked to use."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at
