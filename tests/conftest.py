"""Shared fixtures: every database test runs on SQLite and on the PostgreSQL server.

SQLite: one migrated template file per session, copied per test.
PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test): migrated
once per session, tables truncated before each test. If the server is unreachable those
tests are skipped and the run says so loudly at the end. CREDIT_CASES_TEST_SQLITE_ONLY=1 leaves
PostgreSQL out quietly instead (no `postgresql` variants; the few PostgreSQL-only tests skip):
CI's second run, a year ahead under faketime, is SQLite only on purpose.

Under pytest-xdist (`scripts/test.sh` runs one worker per core) each worker has a database of its
own on that server, `<name>_<worker>` (created when missing), so truncating between tests never
reaches another worker's data.
"""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.commitments import add, commitment
from tests.support.records import BPMN_DIR
from tests.support.warnings import RULES_FILE
from workflows.core.clock import FrozenClock
from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.store import Store

# Letter fonts are built once by the set-up script; tests share them instead of rebuilding.
os.environ.setdefault("CREDIT_CASES_FONTS_DIR", str(Path(__file__).parent.parent / "var" / "fonts"))
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    PG_URL = f"{PG_URL.rsplit('/', 1)[0]}/{PG_URL.rsplit('/', 1)[1].split('?')[0]}_{XDIST_WORKER}"
    os.environ["TEST_DATABASE_URL"] = PG_URL  # for the servers and commands tests start
SQLITE_ONLY = os.environ.get("CREDIT_CASES_TEST_SQLITE_ONLY") == "1"
APPEND_ONLY = ("case_event",)  # tables whose triggers refuse UPDATE, DELETE and TRUNCATE
_pg_state: dict[str, object] = {}


def _postgres_available() -> bool:
    """Whether the PostgreSQL tests can run; called from fixtures.

    In a deliberately SQLite-only run it skips the calling test itself, without the end-of-run
    banner (that is for a server that should have answered).
    """
    if SQLITE_ONLY:
        pytest.skip("PostgreSQL not used: CREDIT_CASES_TEST_SQLITE_ONLY=1")
    if "ok" not in _pg_state:
        try:
            if XDIST_WORKER:
                _create_database(PG_URL)
            engine = make_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            upgrade(PG_URL)
            _pg_state["ok"] = True
        except Exception as err:  # noqa: BLE001 - any failure means "unreachable" here
            _pg_state["ok"], _pg_state["error"] = False, repr(err)
    return bool(_pg_state["ok"])


def _create_database(url: str) -> None:
    """This worker's database, made on the same server through its maintenance database."""
    name = url.rsplit("/", 1)[1]
    admin = make_engine(url.rsplit("/", 1)[0] + "/postgres", connect_args={"connect_timeout": 3},
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def pytest_terminal_summary(terminalreporter) -> None:
    if "ok" not in _pg_state and not SQLITE_ONLY and not XDIST_WORKER and _xdist_controller(terminalreporter):
        _check_server_from_controller()  # the workers ran the tests; the controller prints the banner
    if _pg_state.get("ok") is False:
        terminalreporter.write_sep("!", "POSTGRESQL UNREACHABLE: PostgreSQL tests were SKIPPED", red=True)
        terminalreporter.write_line(f"  {PG_URL}: {_pg_state.get('error')}", red=True)


def _xdist_controller(terminalreporter) -> bool:
    return bool(getattr(terminalreporter.config.option, "numprocesses", None))


def _check_server_from_controller() -> None:
    try:
        engine = make_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        _pg_state["ok"] = True
    except Exception as err:  # noqa: BLE001 - any failure means "unreachable" here
        _pg_state["ok"], _pg_state["error"] = False, repr(err)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Real argon2id, at the lowest cost: tests create many users, production keeps the default."""
    from argon2 import PasswordHasher

    from workflows.people import users
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")).scalars().all()
        if tables:
            _truncate(conn, tables)
    engine.dispose()


def _truncate(conn, tables: list[str]) -> None:
    """The audit log refuses TRUNCATE (migration 0010a): only this reset, owning the schema, lifts that."""
    guarded = [t for t in tables if t in APPEND_ONLY]
    for table in guarded:
        conn.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
    conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    for table in guarded:
        conn.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))


@pytest.fixture(params=["sqlite"] if SQLITE_ONLY else ["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, target)
        return f"sqlite:///{target}"
    if not _postgres_available():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    _truncate_all(PG_URL)
    return PG_URL


@pytest.fixture
def store(db_url) -> Store:
    store = Store(make_engine(db_url))
    yield store
    store.engine.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock("2026-09-30T10:00:00+08:00")


# -- area data shared by the integration and the web tests ----------------------------------------

@pytest.fixture(scope="session")
def rules_dir(tmp_path_factory) -> Path:
    """Only the records' decision tables, so other files under bpmn/ cannot disturb these tests."""
    target = tmp_path_factory.mktemp("rules")
    for name in ("regime.dmn", "publicity_period.dmn", "record_repairability.dmn"):
        shutil.copy(BPMN_DIR / "rules" / name, target / name)
    return target


@pytest.fixture(scope="session")
def warning_rules_dir(tmp_path_factory) -> Path:
    """Only the early-warning thresholds table."""
    target = tmp_path_factory.mktemp("warning_rules")
    shutil.copy(RULES_FILE, target / RULES_FILE.name)
    return target


@pytest.fixture
def crafted(store) -> None:
    """Ten commitment register rows across types, departments and states, with two overdue verifications."""
    add(store,
        commitment(status="fulfilled", fulfilment="full", verified_on=date(2026, 9, 1)),
        commitment(status="fulfilled", fulfilment="full", verified_on=date(2026, 9, 2)),
        commitment(department="QZ-ZJ", status="breached", fulfilment="partial", unfulfilled="未按期整改"),
        commitment(code="350500202606010000D1", commitment_type="deficiency_acceptance",
                   verify_on=date(2026, 9, 29)),  # overdue by one day
        commitment(code="350500202606010000E1", department="QZ-ZJ", commitment_type="deficiency_acceptance",
                   valid_until=date(2026, 9, 1)),  # no verification date: its validity ended
        commitment(department="QZ-ZJ", commitment_type="certification", verify_on=date(2026, 9, 30)),  # due today
        commitment(commitment_type="certification", verify_on=date(2026, 9, 1), verified_on=date(2026, 9, 15)),
        commitment(commitment_type="repair", status="breached", fulfilment="false"),
        commitment(department="QZ-ZJ", commitment_type="repair", status="withdrawn", verify_on=date(2026, 1, 1)),
        commitment(commitment_type="voluntary_disclosure", status="filed", verify_on=date(2026, 1, 1)))
