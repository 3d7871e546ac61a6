"""The fuzz run's world: the product flows, the demo people, a few rows of every kind, and the
app served by a real threaded server on 127.0.0.1 (as the browser tests serve it), configured
as in production (no TESTING: an exception becomes the API's 500, as a client would see it)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.support.fuzz import World, seed_world
from webapp import create_app
from workflows.core.config import PROJECT_ROOT


class QuietHandler(WSGIRequestHandler):
    """No access log: thousands of fuzzed requests would bury a failure's report."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def served_app(runtime):
    return create_app({"RUNTIME": runtime})


@pytest.fixture
def fuzz_world(served_app, store, runtime) -> World:
    return seed_world(served_app.test_client(), store, runtime.clock.now())


@pytest.fixture
def live_api(served_app, fuzz_world) -> Iterator[str]:
    """The base URL of the app, served on an ephemeral port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, served_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
