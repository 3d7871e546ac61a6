"""Who delivers notifications after a commit: a courier thread of this process, or the sweeps only.

Transactions that wrote notifications hand over the topic `notifications`; after the commit the
store wakes the courier thread chosen here, which runs `deliver_notifications` (expand, then
send). Sending mail is waiting on a network, not CPU, so one thread suffices and requests never
wait for the mail server. Whatever the thread misses (a crash, a server that was down) is sent
by `credit-cases tick`, the serve sweep and Celery beat, which run the same function.
"""
from __future__ import annotations

import logging
import threading

from workflows.core.clock import Clock
from workflows.core.store import Store
from workflows.notifications.channels import Courier
from workflows.notifications.delivery import deliver_notifications
from workflows.people.notices import TOPIC

log = logging.getLogger(__name__)
MODES = ("thread", "inline", "off")


class CourierThread:
    """One daemon thread woken after each commit that wrote notifications (wake-ups coalesce)."""

    def __init__(self, store: Store, clock: Clock, courier: Courier) -> None:
        self.store, self.clock, self.courier = store, clock, courier
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def wake(self, _items: list[object] | None = None) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="notification-courier", daemon=True)
                self._thread.start()
        self._idle.clear()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                deliver_notifications(self.store, self.courier, self.clock.now())
            except Exception:  # noqa: BLE001 - the sweeps pick up what is left
                log.exception("delivering notifications failed; the sweep will retry")
            if not self._wake.is_set():
                self._idle.set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Tests: until the thread has delivered what it was woken for."""
        return self._idle.wait(timeout)


def start_courier(store: Store, clock: Clock, courier: Courier, mode: str) -> CourierThread | None:
    """Route the notifications of every committed transaction of `store` to `mode`'s courier."""
    if mode not in MODES:
        raise ValueError(f"notification delivery must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off" or (courier.mailer is None and courier.sms is None):
        store.on_commit(TOPIC, None)
        return None
    if mode == "inline":
        store.on_commit(TOPIC, lambda _items: deliver_notifications(store, courier, clock.now()) and None)
        return None
    thread = CourierThread(store, clock, courier)
    store.on_commit(TOPIC, thread.wake)
    return thread
