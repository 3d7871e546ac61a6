"""Make SpiffWorkflow's timer events read our injected clock.

SpiffWorkflow compares timer due times with `datetime.now(timezone.utc)` inside its timer
module. We replace that module's `datetime` name with a subclass whose `now()` asks the
clock bound to the current step (a context variable, so threads do not interfere);
outside a step it is the real time. Without this, a frozen test clock could not hold a
timer back, and production could not fire timers for a simulated time.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

from workflows.core.clock import Clock

_bound_clock: ContextVar[Clock | None] = ContextVar("credit_cases_clock", default=None)


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        clock = _bound_clock.get()
        if clock is None:
            return datetime.now(tz)
        current = clock.now()
        return current.astimezone(tz) if tz else current.astimezone().replace(tzinfo=None)


def install() -> None:
    """Idempotent: point SpiffWorkflow's timer module at the clocked datetime."""
    spiff_timer.datetime = _ClockedDatetime


@contextmanager
def bound_clock(clock: Clock) -> Iterator[None]:
    token = _bound_clock.set(clock)
    try:
        yield
    finally:
        _bound_clock.reset(token)


install()
