"""No SMTP server configured: notifications stay in-app, nothing is sent, nothing fails."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.support.flow_kinds import product_and_test_kinds
from tests.support.web import login
from tests.web.notifications.helpers import assign, filed_case, set_email
from workflows.background.work import run_due_work
from workflows.core.config import Settings
from workflows.core.models.cases import Notification
from workflows.core.models.notifications import NotificationDelivery
from workflows.runtime import Runtime, build_runtime


@pytest.fixture
def runtime(db_url, clock, tmp_path, bpmn_dir) -> Iterator[Runtime]:
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        letter_workers="off")
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()


def test_without_smtp_nothing_is_sent_and_nothing_fails(client, runtime, clock, store, make_record):
    assert runtime.courier.mailer is None
    set_email(client, "reviewer1", "reviewer1@example.gov.cn")
    login(client, "reviewer1")
    assert "尚未配置邮件服务器" in client.get("/account/notifications").get_data(as_text=True)
    client.post("/logout")
    doc = filed_case(client, clock, make_record)
    assign(client, doc)
    done = run_due_work(runtime.engine, courier=runtime.courier)
    assert done["mails_queued"] == done["mails_sent"] == done["mails_failed"] == 0
    with store.read() as session:
        assert session.scalars(select(NotificationDelivery)).all() == []
        pending = session.scalars(select(Notification).where(Notification.delivery == "pending")).all()
        mine = session.scalars(select(Notification.message).where(Notification.username == "reviewer1")).all()
    assert pending == []  # marked in-app only: a later SMTP set-up does not send a flood of old news
    assert len(mine) == 1 and "已分派给您办理" in mine[0]
