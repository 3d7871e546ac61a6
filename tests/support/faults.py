"""Faults for the robustness tests: PostgreSQL backends terminated under a live server."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import text
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from workflows.core.db import make_engine
from workflows.core.store import Store


def terminate_backends(url: str) -> int:
    """`pg_terminate_backend` every other connection to this database (only this test
    database: other databases on the server are left alone); how many were terminated."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    finally:
        engine.dispose()


def fresh_store(url: str) -> Store:
    """A store on new connections only (pooled ones may have been terminated)."""
    return Store(make_engine(url, poolclass=NullPool))


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """The app on a real threaded HTTP server on 127.0.0.1 (a free port); yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
