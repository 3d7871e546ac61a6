"""The calendar in force: the holidays package plus the admin override table and the years
the admin confirmed.

Overrides change a few times a year, but deadlines are computed on every step, so the
table is cached and re-read after a short time or at once when this process edits it.
"""
from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

from workflows.core.calendar import (
    WorkingCalendar,
    confirm_year,
    load_confirmed_years,
    load_overrides,
    remove_override,
    set_override,
    unconfirm_year,
)
from workflows.core.clock import Clock
from workflows.core.store import Store


class CalendarSource:
    def __init__(self, store: Store, clock: Clock, office_close: time | None = None,
                 ttl: timedelta = timedelta(seconds=60)) -> None:
        self.store, self.clock, self.office_close, self.ttl = store, clock, office_close, ttl
        self._lock = threading.Lock()
        self._calendar: WorkingCalendar | None = None
        self._loaded_at: datetime | None = None

    def get(self) -> WorkingCalendar:
        with self._lock:
            fresh = self._loaded_at is not None and self.clock.now() - self._loaded_at < self.ttl
            if self._calendar is not None and fresh:
                return self._calendar
        with self.store.read() as session:
            overrides, confirmed = load_overrides(session), load_confirmed_years(session)
        calendar = WorkingCalendar(overrides, office_close=self.office_close, confirmed_years=confirmed)
        with self._lock:
            self._calendar, self._loaded_at = calendar, self.clock.now()
        return calendar

    def invalidate(self) -> None:
        with self._lock:
            self._calendar = None

    def set_override(self, day: date, working: bool, note: str, actor: str) -> None:
        with self.store.write() as uow:
            set_override(uow.session, day, working, note, actor, self.clock.now())
            uow.commit()
        self.invalidate()

    def confirm_year(self, year: int, note: str, actor: str) -> None:
        with self.store.write() as uow:
            confirm_year(uow.session, year, note, actor, self.clock.now())
            uow.commit()
        self.invalidate()

    def unconfirm_year(self, year: int, actor: str) -> bool:
        with self.store.write() as uow:
            removed = unconfirm_year(uow.session, year, actor, self.clock.now())
            uow.commit()
        self.invalidate()
        return removed

    def remove_override(self, day: date, actor: str) -> bool:
        with self.store.write() as uow:
            removed = remove_override(uow.session, day, actor, self.clock.now())
            uow.commit()
        self.invalidate()
        return removed


def parse_office_close(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None
