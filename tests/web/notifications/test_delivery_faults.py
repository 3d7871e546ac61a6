"""The mail server down: the mail waits and is retried with backoff until it gets through."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.smtp import SmtpServer, body_of, free_port
from tests.web.notifications.helpers import assign, filed_case, set_email
from workflows.background.work import run_due_work
from workflows.core.models.notifications import NotificationDelivery

REVIEWER = "reviewer1@example.gov.cn"


@pytest.fixture
def mail_port() -> int:
    """Configured, but nothing listens there yet."""
    return free_port()


def test_a_mail_refused_while_the_server_is_down_goes_out_later(client, runtime, clock, store, mail_port, make_record):
    set_email(client, "reviewer1", REVIEWER)
    doc = filed_case(client, clock, make_record)
    assign(client, doc)
    done = run_due_work(runtime.engine, courier=runtime.courier)
    assert done["mails_sent"] == 0 and done["mails_failed"] == 1
    with store.read() as session:
        row = session.scalars(select(NotificationDelivery)).one()
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at == clock.now() + timedelta(minutes=1)
    server = SmtpServer(mail_port).start()
    try:
        assert run_due_work(runtime.engine, courier=runtime.courier)["mails_sent"] == 0  # not due again yet
        clock.advance(minutes=1)
        assert run_due_work(runtime.engine, courier=runtime.courier)["mails_sent"] == 1
        [mail] = server.mailbox.to(REVIEWER)
        assert f"/desk/cases/{doc['id']}" in body_of(mail)
        clock.advance(hours=2)
        assert run_due_work(runtime.engine, courier=runtime.courier)["mails_sent"] == 0  # never twice
    finally:
        server.stop()
    with store.read() as session:
        row = session.scalars(select(NotificationDelivery)).one()
    assert row.status == "sent" and row.attempts == 2 and row.sent_at == clock.now() - timedelta(hours=2)


def test_an_address_the_server_does_not_know_is_given_up(client, runtime, clock, store, mail_port, make_record):
    server = SmtpServer(mail_port).start()
    server.mailbox.unknown.add(REVIEWER)
    try:
        set_email(client, "reviewer1", REVIEWER)
        assign(client, filed_case(client, clock, make_record))
        assert run_due_work(runtime.engine, courier=runtime.courier)["mails_failed"] == 1
        clock.advance(hours=3)
        assert run_due_work(runtime.engine, courier=runtime.courier)["mails_failed"] == 0  # not retried
    finally:
        server.stop()
    with store.read() as session:
        row = session.scalars(select(NotificationDelivery)).one()
    assert row.status == "failed" and "收件地址被拒绝" in row.last_error and server.mailbox.messages == []
