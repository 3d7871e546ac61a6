"""Browser tests: the real app served on 127.0.0.1, driven in Debian's Chromium via Playwright.

Playwright's own browser download does not work on these machines; we point it at
/usr/bin/chromium (installed by scripts/test.sh). Without it these tests are skipped, loudly.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from webapp import create_app
from workflows.core.clock import FrozenClock
from workflows.core.config import PROJECT_ROOT, Settings
from workflows.core.migrate import upgrade
from workflows.runtime import Runtime, build_runtime

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
E2E_DIR = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here `browser`, so `-m "not browser"` leaves them out.

    CI's second run (a year ahead under libfaketime) needs that: Playwright hangs under it.
    """
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_runtime(tmp_path) -> Iterator[Runtime]:
    url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    upgrade(url)
    settings = Settings(data_dir=tmp_path, database_url=url, bpmn_dir=PROJECT_ROOT / "bpmn",
                        secret_key="e2e-secret", letter_workers="off")  # drained by the tests
    runtime = build_runtime(settings, FrozenClock("2026-09-30T10:00:00+08:00"))
    yield runtime
    runtime.close()


@pytest.fixture
def live_server(live_runtime) -> Iterator[str]:
    app = create_app({"RUNTIME": live_runtime, "WTF_CSRF_ENABLED": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.skip("BROWSER TESTS SKIPPED: Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
