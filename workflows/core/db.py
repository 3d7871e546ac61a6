"""Database engines: SQLite (WAL, immediate write transactions) or PostgreSQL.

SQLite's default deferred transactions upgrade to a write lock late and then fail with
"database is locked" instead of waiting; write units of work therefore start with
BEGIN IMMEDIATE so concurrent writers queue up and then see each other's versions.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE = {"credit_cases_write": True}
T = TypeVar("T")
log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


IDLE_PING_SECONDS = 10.0


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Test a pooled connection before use only if it sat idle for a while.

    A database restart or a dropped idle connection is caught before a request uses it, as
    with `pool_pre_ping`, without a round trip on every checkout of a busy server (a filing
    checks out three connections). A connection used within the last seconds is trusted.
    """
    @event.listens_for(engine, "checkin")
    def _stamp(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            raise exc.DisconnectionError(f"idle connection is gone: {err}") from err


def connection_lost(err: BaseException | None) -> bool:
    """Whether `err` (or what caused it) is a database connection that died under us — a
    terminated backend, a restarted server — rather than a fault of the statement.

    SQLAlchemy has then invalidated the connection and every older one in the pool, so the
    next checkout opens a fresh connection: a read may simply run again, a write answers 503
    (its transaction was rolled back, or at worst its commit's outcome is unknown)."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, exc.DBAPIError) and err.connection_invalidated:
            return True
        if isinstance(err, exc.DisconnectionError):
            return True
        err = err.__cause__ or err.__context__
    return False


def read_once_more_if_lost(read: Callable[[], T]) -> T:
    """Run an idempotent read; if its connection died, run it once more on a fresh one."""
    try:
        return read()
    except exc.SQLAlchemyError as err:
        if not connection_lost(err):
            raise
        log.warning("database connection lost during a read; reading again on a fresh connection")
        return read()


def printable_url(url: str) -> str:
    """The database URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def database_answers(engine: Engine) -> bool:
    """The readiness probe: one round trip; False (not an exception) when the database is down."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except exc.SQLAlchemyError:
        return False
    return True


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def _sqlite_engine(url: str, **kwargs) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # reads map the file instead of copying each page through a syscall: a statistics page
        # over a million records spent half its time in the kernel reading pages it had cached
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        write = connection.get_execution_options().get("credit_cases_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
