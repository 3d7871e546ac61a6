"""Staff hear of tasks assigned to them, tasks due today or overdue and escalations: under the bell
and by e-mail through the SMTP server the tests start (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.api_cases import forward
from tests.support.smtp import body_of
from tests.web.notifications.helpers import assign, filed_case, set_email
from workflows.background.work import run_due_work
from workflows.core.models.cases import Notification

REVIEWER = "reviewer1@example.gov.cn"
SUPERVISOR = "supervisor1@example.gov.cn"


def test_an_assigned_task_mails_the_reviewer_the_case_number_and_a_link(client, runtime, clock, smtp, make_record):
    assert set_email(client, "reviewer1", REVIEWER).status_code == 302
    doc = filed_case(client, clock, make_record)
    assign(client, doc)
    assert smtp.mailbox.messages == []  # never inside the request's transaction
    done = run_due_work(runtime.engine, courier=runtime.courier)
    assert done["mails_sent"] == 1
    [mail] = smtp.mailbox.to(REVIEWER)
    assert f"案件 #{doc['id']}" in mail["Subject"] and "任务分派" in mail["Subject"]
    body = body_of(mail)
    assert "已分派给您办理" in body and "本级审核" in body
    assert f"https://credit.example.gov.cn/desk/cases/{doc['id']}" in body
    assert run_due_work(runtime.engine, courier=runtime.courier)["mails_sent"] == 0  # sent once


def test_a_task_is_recalled_once_on_its_last_day_and_once_overdue(client, runtime, clock, smtp, make_record):
    set_email(client, "reviewer1", REVIEWER)
    set_email(client, "supervisor1", SUPERVISOR)
    doc = filed_case(client, clock, make_record)
    assign(client, doc)
    run_due_work(runtime.engine, courier=runtime.courier)
    smtp.mailbox.messages.clear()
    due = next(t for t in doc["tasks"] if t["bpmn_id"] == "first_review")["due_at"]  # end of its working day
    clock.set(due[:10] + "T09:00:00+08:00")
    for _ in range(3):  # the sweep runs every 30 s: still one reminder that day
        run_due_work(runtime.engine, courier=runtime.courier)
    [today] = smtp.mailbox.to(REVIEWER)
    assert "1 项任务今日到期或已超期" in today["Subject"] and "今日到期" in body_of(today)
    clock.advance(days=1)
    for _ in range(3):
        run_due_work(runtime.engine, courier=runtime.courier)
    overdue = [m for m in smtp.mailbox.to(REVIEWER) if "已超过办理时限" in body_of(m)]
    assert len(overdue) == 1
    escalations = [m for m in smtp.mailbox.to(SUPERVISOR) if "超期督办" in m["Subject"]]
    assert len(escalations) == 1 and f"/desk/cases/{doc['id']}" in body_of(escalations[0])


def test_who_unticks_a_kind_gets_no_mail_of_it_but_still_sees_it(client, runtime, clock, smtp, store, make_record):
    set_email(client, "reviewer1", REVIEWER, groups=("task_due", "escalation"))
    doc = filed_case(client, clock, make_record)
    assign(client, doc)
    run_due_work(runtime.engine, courier=runtime.courier)
    assert smtp.mailbox.to(REVIEWER) == []
    with store.read() as session:
        kinds = session.scalars(select(Notification.kind).where(Notification.username == "reviewer1")).all()
    assert kinds == ["task_assigned"]


def test_an_escalation_reaches_every_supervisor(client, runtime, clock, store, smtp, make_record):
    """The supervisors' role notice becomes one notice per supervisor, each read on its own."""
    doc = filed_case(client, clock, make_record)
    clock.advance(days=20)
    run_due_work(runtime.engine, courier=runtime.courier)
    with store.read() as session:
        rows = session.execute(select(Notification.username, Notification.role).where(
            Notification.kind == "sla_breach", Notification.case_id == doc["id"])).all()
    assert ("supervisor1", "supervisor") in rows


def test_an_unclaimed_department_task_is_recalled_to_its_officers(client, runtime, clock, smtp, make_record):
    set_email(client, "dept1", "dept1@scjg.example.gov.cn")
    doc = forward(client, filed_case(client, clock, make_record))
    task = next(t for t in doc["tasks"] if t["bpmn_id"] == "department_decision" and t["state"] == "ready")
    assert task["assignee"] is None
    clock.set(task["due_at"][:10] + "T08:30:00+08:00")
    run_due_work(runtime.engine, courier=runtime.courier)
    run_due_work(runtime.engine, courier=runtime.courier)
    reminders = [m for m in smtp.mailbox.to("dept1@scjg.example.gov.cn") if "待办提醒" in m["Subject"]]
    assert len(reminders) == 1 and "认定部门决定" in body_of(reminders[0]) and "今日到期" in body_of(reminders[0])
