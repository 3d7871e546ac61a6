"""The in-process timer sweep of the embedded default (cron runs `credit-cases tick`).

Both call the same `CaseEngine.fire_due_timers` and the letter sweep; so do Celery workers on
the scale path.
"""
from __future__ import annotations

import logging
import threading

from workflows.background.work import run_due_work, scan_warnings_now
from workflows.core.clock import to_local
from workflows.engine.case_engine import CaseEngine
from workflows.notifications.channels import Courier

log = logging.getLogger(__name__)


class TimerSweeper(threading.Thread):
    NIGHTLY_HOUR = 1  # the early-warning scan runs once a day after 01:00 Asia/Shanghai

    def __init__(self, engine: CaseEngine, interval_seconds: float = 30, *,
                 sweep_every_letter_first: bool = False, courier: Courier | None = None) -> None:
        super().__init__(name="timer-sweeper", daemon=True)
        self.engine, self.interval, self.courier = engine, interval_seconds, courier
        self._every_letter = sweep_every_letter_first  # at start-up: every pending letter, due or not
        self._last_scan_day = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sweep_once()
            self._stop_event.wait(self.interval)

    def sweep_once(self) -> int:
        try:
            done = run_due_work(self.engine, every_letter=self._every_letter, courier=self.courier)
            self._every_letter = False
        except Exception:  # noqa: BLE001 - a failed sweep must not kill the thread
            log.exception("timer sweep failed")
            return 0
        if any(done.values()):
            log.info("background work: %s", done)
        self.nightly_scan()
        return done["timers"]

    def nightly_scan(self) -> bool:
        now = to_local(self.engine.clock.now())
        if now.hour < self.NIGHTLY_HOUR or self._last_scan_day == now.date():
            return False
        try:
            log.info("early-warning scan: %s", scan_warnings_now(self.engine))
        except Exception:  # noqa: BLE001 - retried on the next sweep
            log.exception("early-warning scan failed")
            return False
        self._last_scan_day = now.date()
        return True

    def stop(self) -> None:
        self._stop_event.set()
