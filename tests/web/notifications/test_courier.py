"""Served as in production (letters by a pool, notifications by the courier thread): the mail
leaves right after the commit that wrote it, without waiting for a sweep; SMS go through the
configured gateway (here the logging one, for development)."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from tests.support.flow_kinds import product_and_test_kinds
from tests.web.notifications.helpers import assign, filed_case, set_email
from webapp import create_app
from webapp.runtime import COURIER_KEY, LETTERS_KEY
from workflows.core.config import MailSettings, Settings
from workflows.runtime import Runtime, build_runtime

REVIEWER = "reviewer1@example.gov.cn"


@pytest.fixture(params=["pool", "process"])
def letter_workers(request) -> str:
    """Letters rendered by threads of the server, or by its worker processes (the default)."""
    return request.param


@pytest.fixture
def runtime(db_url, clock, tmp_path, bpmn_dir, mail_port, letter_workers) -> Iterator[Runtime]:
    mail = MailSettings(host="127.0.0.1", port=mail_port, sender="credit@example.gov.cn", timeout=5)
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        letter_workers=letter_workers, mail=mail, sms_gateway="log")
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()


@pytest.fixture
def app(runtime):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime})
    yield app
    letters = app.extensions[LETTERS_KEY]
    if letters is not None:
        letters.shutdown()


def test_the_courier_sends_right_after_the_commit(app, client, clock, smtp, make_record, caplog):
    set_email(client, "reviewer1", REVIEWER)
    client.post("/login", data={"username": "applicant1", "password": "correct horse 42"})
    client.post("/account/notifications", data={"email": "", "mobile": "13950001234", "email_groups": []})
    client.post("/logout")
    courier = app.extensions[COURIER_KEY]
    with caplog.at_level(logging.INFO, logger="workflows.notifications.channels"):
        doc = filed_case(client, clock, make_record)
        assign(client, doc)
        deadline = time.monotonic() + 60  # the acceptance notice waits for its letter (the pool renders it)
        while not (smtp.mailbox.to(REVIEWER) and _sms(caplog)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert courier.wait_idle(10)
    [mail] = smtp.mailbox.to(REVIEWER)
    assert f"案件 #{doc['id']}" in mail["Subject"]
    assert any("已受理" in text for text in _sms(caplog))  # the applicant's acceptance notice, by SMS


def _sms(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("SMS to 139****1234")]
