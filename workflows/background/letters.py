"""Who renders letters after their step's commit: an in-process pool, Celery, or the sweeps only.

`issue_letter` hands the id of each letter to the store (topic `letters_to_render`); once the
transaction has committed, the store gives the ids to the dispatcher chosen here
(`CREDIT_CASES_LETTER_WORKERS`):

- `process` (embedded default): a small pool of worker processes (`ProcessPoolExecutor`,
  spawned, niced) started by this process: rendering is ~70 ms of CPU-bound Python per letter,
  and in threads of the server it would hold the GIL the request threads need — the server
  would run requests and letters on one core between them;
- `pool`: a small ThreadPoolExecutor of this process — not the request thread, which answers
  as soon as the commit is done (no extra process; requests and letters share the GIL);
- `celery` (scale path): one `render_letters` task per commit, on the Celery broker;
- `off`: nothing at once; `credit-cases tick`, the `serve` sweep and Celery beat render them;
- `inline` (the CLI's own commands): right after each commit, in the same thread.

Every way ends in the same `render_letter`; a dispatch that is lost (a crash, a broker that is
down) leaves the letter pending, and the next sweep completes it.
"""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timezone

from workflows.archive.issuing import TO_RENDER
from workflows.archive.rendering import render_letters
from workflows.background.priority import yield_to_requests
from workflows.core.clock import Clock, FixedClock, SystemClock
from workflows.core.store import Store

log = logging.getLogger(__name__)
MODES = ("process", "pool", "celery", "off", "inline")  # inline: the CLI's own commands, after each commit


class LetterPool:
    """Renders handed-over letters on a few threads of this process (threads start lazily)."""

    def __init__(self, store: Store, clock: Clock, threads: int = 2, delay_seconds: float = 0.0) -> None:
        self.store, self.clock, self.delay = store, clock, delay_seconds
        self._executor = ThreadPoolExecutor(max_workers=max(threads, 1), thread_name_prefix="letters")
        self._lock = threading.Lock()
        self._queued = 0

    def dispatch(self, letter_ids: list[int]) -> None:
        with self._lock:
            self._queued += len(letter_ids)
        self._executor.submit(self._run, list(letter_ids))

    def _run(self, letter_ids: list[int]) -> None:
        try:
            if self.delay:  # tests only (CREDIT_CASES_TEST_RENDER_DELAY): a window to crash in
                time.sleep(self.delay)
            render_letters(self.store, letter_ids, self.clock.now())
        except Exception:  # noqa: BLE001 - the letters stay pending; the sweep retries them
            log.exception("rendering letters %s failed; left to the sweep", letter_ids)
        finally:
            with self._lock:
                self._queued -= len(letter_ids)

    @property
    def queued(self) -> int:
        """Letters handed to the pool and not finished yet."""
        return self._queued

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait)


class LetterProcesses:
    """Renders handed-over letters in a few spawned worker processes (started lazily, niced),
    each with its own database connection; the server's process only sends ids."""

    def __init__(self, database_url: str, processes: int = 1, delay_seconds: float = 0.0,
                 on_rendered: Callable[[], None] | None = None, clock: Clock | None = None) -> None:
        self._executor = ProcessPoolExecutor(max_workers=max(processes, 1),
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(database_url, delay_seconds))
        self._on_rendered = on_rendered  # the worker's store has no handlers: tell this process
        self._clock = clock  # sent with each batch (pickled): the runtime's time, not the machine's

    def dispatch(self, letter_ids: list[int]) -> None:
        future = self._executor.submit(_render_in_worker, list(letter_ids), _portable(self._clock))
        future.add_done_callback(_log_failure)
        if self._on_rendered is not None:
            future.add_done_callback(lambda _done: self._on_rendered())

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait)


_worker: dict[str, object] = {}


def _start_worker(database_url: str, delay_seconds: float) -> None:
    from workflows.core.db import make_engine
    yield_to_requests()  # requests first when the cores are busy
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: ends with the server, even a killed one
    except (OSError, AttributeError):
        pass
    _worker["store"], _worker["delay"] = Store(make_engine(database_url)), delay_seconds


def _portable(clock: Clock | None) -> Clock | None:
    """The clock as a worker process can take it: the machine's time reads its own; any other
    (a pinned or shifted runtime clock) goes as its reading at the hand-over."""
    if clock is None or isinstance(clock, SystemClock):
        return None
    return FixedClock(clock.now())


def _render_in_worker(letter_ids: list[int], clock: Clock | None = None) -> None:
    if _worker["delay"]:
        time.sleep(float(_worker["delay"]))  # tests only
    now = clock.now() if clock is not None else datetime.now(timezone.utc)
    render_letters(_worker["store"], letter_ids, now)  # type: ignore[arg-type]


def _log_failure(future: Future) -> None:
    if future.exception() is not None:
        log.error("letter worker process failed; the letters stay pending for the sweep: %s", future.exception())


RENDER_TASK = "workflows.background.celery_app.render_letters"
_celery: dict[str, object] = {}


def celery_dispatch(letter_ids: list[int]) -> None:
    """One task per commit, sent by name (the web process needs no worker code); the worker
    runs `render_letter` on each id. A broker that is down loses nothing: the sweep renders."""
    if "client" not in _celery:
        from celery import Celery
        _celery["client"] = Celery("credit_cases", broker=os.environ.get("CREDIT_CASES_CELERY_BROKER",
                                                                        "redis://127.0.0.1:6379/0"))
    _celery["client"].send_task(RENDER_TASK, args=[list(letter_ids)])  # type: ignore[attr-defined]


def start_letter_workers(store: Store, clock: Clock, mode: str, threads: int = 2,
                         delay_seconds: float = 0.0, database_url: str | None = None,
                         on_rendered: Callable[[], None] | None = None) -> LetterPool | LetterProcesses | None:
    """Route the letters of every committed transaction of `store` to the workers of `mode`
    (`process` needs the `database_url` its workers connect to; `on_rendered` runs in this process
    once a worker process has finished a batch — the notification courier, for notices that wait
    for those letters)."""
    if mode not in MODES:
        raise ValueError(f"CREDIT_CASES_LETTER_WORKERS must be one of {', '.join(MODES)}, not {mode!r}")
    dispatch: Callable[[list[int]], None] | None = None
    pool: LetterPool | LetterProcesses | None = None
    if mode == "process":
        pool = LetterProcesses(database_url or str(store.engine.url), threads, delay_seconds, on_rendered, clock)
        dispatch = pool.dispatch
    elif mode == "pool":
        pool = LetterPool(store, clock, threads, delay_seconds)
        dispatch = pool.dispatch
    elif mode == "celery":
        dispatch = celery_dispatch
    elif mode == "inline":
        def dispatch(letter_ids: list[int]) -> None:
            render_letters(store, letter_ids, clock.now())
    store.on_commit(TO_RENDER, dispatch)
    return pool
