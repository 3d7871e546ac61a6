"""The periodic background work, one plain function for cron, the in-process sweep and Celery.

Idempotent: running it twice, or from two processes at once, changes nothing more.
"""
from __future__ import annotations

import logging

from letters.errors import FontMissingError
from letters.fonts import ensure_fonts
from workflows.archive.rendering import sweep_letters
from workflows.core.clock import to_local
from workflows.core.idempotency import purge_expired
from workflows.engine.case_engine import CaseEngine
from workflows.notifications.channels import Courier
from workflows.notifications.delivery import deliver_notifications
from workflows.notifications.reminders import remind_due_tasks
from workflows.records import expire_due_records

log = logging.getLogger(__name__)


def prepare_for_work() -> bool:
    """Make the letter fonts ready before a process takes work (`serve`, `tick`, workers).

    Building them takes 20–70 s; the renderer refuses rather than build them inside a
    transaction (letters/fonts.py), so every process that issues letters prepares them
    first. Idempotent and quick once built; False (logged) when no CJK font is installed:
    the process still runs, and each letter then answers 503 with the reason."""
    try:
        ensure_fonts()
    except (FontMissingError, OSError) as err:
        log.error("letter fonts are not ready, letters cannot be issued: %s", err)
        return False
    return True


def run_due_work(engine: CaseEngine, *, every_letter: bool = False,
                 courier: Courier | None = None) -> dict[str, int]:
    """Fire due timers and deliver the follow-ups steps left undelivered; end the publicity of
    records past their maximum period and forget the API's idempotency keys older than a day; render the pending letters due for a
    (re)try — those the timers just issued too (`every_letter`: all pending, at start-up);
    last, today's task reminders and the notifications to mail (those waiting for the letters
    just rendered too; `courier` None: none are touched — pass the runtime's courier)."""
    fired = engine.fire_due_timers()
    follow_ups = engine.deliver_waiting_follow_ups()  # left by a crash between a step and its delivery
    now = engine.clock.now()
    with engine.store.write() as uow:
        expired = expire_due_records(uow.session, to_local(now).date(), now)
        purged = purge_expired(uow.session, now)
        uow.commit()
    letters = sweep_letters(engine.store, engine.clock.now(), every=every_letter)
    reminders = remind_due_tasks(engine.store, engine.clock.now())
    mails = deliver_notifications(engine.store, courier, engine.clock.now()) if courier else None
    return {"timers": fired, "follow_ups": follow_ups, "expired_records": expired, "expired_idempotency_keys": purged, **letters,
            "task_reminders": reminders, **(mails.as_dict() if mails else {})}


def scan_warnings_now(engine: CaseEngine) -> dict[str, int]:
    """The early-warning scan (nightly from the scheduler, `credit-cases scan-warnings`, admin UI)."""
    from workflows.warnings.scan import scan_warnings
    with engine.store.write() as uow:
        report = scan_warnings(uow.session, engine.rules_for(uow.session, engine.specs.current.id), engine.clock.now())
        uow.commit()
    return report.as_dict()
