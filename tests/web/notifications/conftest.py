"""Notification tests: the product flows, and the app's mail going to a real SMTP server the
tests start on 127.0.0.1 (tests/support/smtp.py)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.flow_kinds import product_and_test_kinds
from tests.support.smtp import SmtpServer
from workflows.core.config import PROJECT_ROOT, MailSettings, Settings
from workflows.runtime import Runtime, build_runtime


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_port(smtp) -> int:
    return smtp.port


@pytest.fixture
def runtime(db_url, clock, tmp_path, bpmn_dir, mail_port) -> Iterator[Runtime]:
    """Letters and mails wait for the tests to run the background work (deterministic)."""
    mail = MailSettings(host="127.0.0.1", port=mail_port, sender="credit@example.gov.cn", timeout=5)
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        letter_workers="off", mail=mail, public_url="https://credit.example.gov.cn")
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()
