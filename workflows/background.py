"""The periodic background work, one plain function for cron, the in-process sweep and Celery.

Idempotent: running it twice, or from two processes at once, changes nothing more.
"""
from __future__ import annotations

from .clock import to_local
from .engine import CaseEngine
from .records import expire_due_records


def run_due_work(engine: CaseEngine) -> dict[str, int]:
    """Fire due timers, then end the publicity of records past their maximum period."""
    fired = engine.fire_due_timers()
    now = engine.clock.now()
    with engine.store.write() as uow:
        expired = expire_due_records(uow.session, to_local(now).date(), now)
        uow.commit()
    return {"timers": fired, "expired_records": expired}
