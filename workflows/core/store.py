"""Unit of work over SQLAlchemy: one transaction per engine advance (DESIGN.md principle 3).

Nothing is committed unless `commit()` is called; leaving the block without it rolls
back. Side effects that must not happen for a rolled-back step (mail, sharing) are queued
with `after_commit` and released only after the commit succeeded. Code that holds only the
session hands work to the store's handlers with `hand_over` (e.g. the ids of letters to render):
the store runs them after the commit, never before it, and nothing of a rolled-back one. In an API request sent with
an `Idempotency-Key`, the first write unit of work also carries the key (`idempotency.claim`).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from workflows.core import idempotency
from workflows.core.db import WRITE
from workflows.core.errors import NotFound
from workflows.core.models.cases import Case

HANDED_OVER = "credit_cases_handed_over"  # session.info key: topic -> items for after the commit
Handler = Callable[[list[Any]], None]
log = logging.getLogger(__name__)


def hand_over(session: Session, topic: str, item: Any) -> None:
    """Give `item` to the store's handler of `topic` once this session's transaction commits."""
    session.info.setdefault(HANDED_OVER, {}).setdefault(topic, []).append(item)


class UnitOfWork:
    def __init__(self, factory: sessionmaker[Session], handlers: dict[str, Handler] | None = None,
                 queue: threading.RLock | None = None) -> None:
        self._factory = factory
        self._handlers = handlers if handlers is not None else {}
        self._queue = queue
        self.session: Session
        self._after_commit: list[Callable[[], None]] = []
        self._committed = False
        self._claim: idempotency.Claim | None = None

    def __enter__(self) -> "UnitOfWork":
        if self._queue is not None:
            self._queue.acquire()
        try:
            self.session = self._factory()
            self.session.begin()
            try:
                self._claim = idempotency.claim(self.session)
            except BaseException:
                self.session.rollback()
                self.session.close()
                raise
        except BaseException:
            if self._queue is not None:
                self._queue.release()
            raise
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed:
                if self._claim is not None:
                    self._claim.rolled_back()
                self.session.rollback()
        finally:
            self.session.close()
            if self._queue is not None:
                self._queue.release()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def commit(self) -> None:
        if self._claim is not None:
            self._claim.before_commit()
        self.session.commit()
        self._committed = True
        if self._claim is not None:
            self._claim.committed()
        for callback in self._after_commit:
            callback()
        self._run_handlers()

    def _run_handlers(self) -> None:
        """What the transaction handed over, to the store's handlers; a handler's failure is
        logged, never raised: the commit stands and the sweeps pick the work up later."""
        handed = self.session.info.pop(HANDED_OVER, None) or {}
        for topic, items in handed.items():
            handler = self._handlers.get(topic)
            if handler is None:
                continue
            try:
                handler(items)
            except Exception:  # noqa: BLE001 - after the commit nothing may fail the request
                log.exception("after-commit handler %r failed; the sweep will take over", topic)

    def lock_case(self, case_id: int, *, skip_locked: bool = False) -> Case:
        """The case row, locked for this transaction (PostgreSQL; SQLite locks the file)."""
        query = select(Case).where(Case.id == case_id).with_for_update(skip_locked=skip_locked)
        case = self.session.scalars(query).first()
        if case is None:
            raise NotFound(f"案件 {case_id} 不存在")
        return case

    def lock_case_if_due(self, case_id: int, now) -> Case | None:
        """Lock a case with a due timer, skipping it if another sweeper holds the lock."""
        query = (select(Case).where(Case.id == case_id, Case.status == "running",
                                    Case.next_timer_at <= now)
                 .with_for_update(skip_locked=True))
        return self.session.scalars(query).first()


class Store:
    """Creates units of work: write ones (locked, BEGIN IMMEDIATE on SQLite) and reads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write = sessionmaker(bind=engine.execution_options(**WRITE), expire_on_commit=False)
        self._read = sessionmaker(bind=_read_binding(engine), expire_on_commit=False)
        self._handlers: dict[str, Handler] = {}
        # SQLite has one writer at a time; its busy handler polls with growing sleeps, so waiting
        # writers are served out of order (seconds at the tail under a burst). Writers of this
        # process queue here instead and take the file lock in turn; other processes (the letter
        # worker, cron's tick) still meet the busy timeout.
        self._queue = threading.RLock() if engine.dialect.name == "sqlite" else None

    def write(self) -> UnitOfWork:
        return UnitOfWork(self._write, self._handlers, self._queue)

    def on_commit(self, topic: str, handler: Handler | None) -> None:
        """Who receives what transactions hand over under `topic` (None: nobody; sweeps only)."""
        if handler is None:
            self._handlers.pop(topic, None)
        else:
            self._handlers[topic] = handler

    def read(self) -> Session:
        return self._read()


def _read_binding(engine: Engine) -> Engine:
    """Reads on PostgreSQL run without a transaction (autocommit).

    At READ COMMITTED every statement takes its own snapshot anyway, so a read transaction
    only adds BEGIN and ROLLBACK round trips — and psycopg forgets its prepared statements
    on every ROLLBACK, so no statement would ever stay prepared. SQLite keeps its read
    transaction: there it is what gives a page one consistent snapshot under WAL.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine
