"""Lists and timelines show people's names, not usernames (issue 12): a reviewer whose display
name is 张三 claims a task; the inbox, the case page, the letters register and the API say 张三,
the API keeps the username under its own keys."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.support.flow_kinds import DATA_DIR
from tests.support.letters import context_for
from tests.support.web import PASSWORD, headers, login
from workflows.engine.inbox import InboxFilter
from workflows.kinds.common.desk_pages import inbox_page
from workflows.people.access import Actor
from workflows.people.users import create_user

REVIEWER2 = Actor("reviewer2", frozenset({"reviewer"}))


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


@pytest.fixture
def zhangsan(store, clock, people) -> str:
    with store.write() as uow:
        create_user(uow.session, "zhangsan", PASSWORD, ["reviewer"], clock.now(), display_name="张三")
        uow.commit()
    return "zhangsan"


@pytest.fixture
def claimed(app, case, zhangsan) -> str:
    """张三 claims the case's review task through the desk; returns the task id."""
    client = app.test_client()
    login(client, zhangsan)
    task_id = re.search(r'data-task="([0-9a-f-]+)"', client.get("/desk/").get_data(as_text=True)).group(1)
    assert client.post(f"/desk/tasks/{task_id}/claim").status_code == 302
    return task_id


def test_inbox_and_timeline_show_the_name_of_who_claimed(client, case, claimed):
    login(client, "reviewer2")
    inbox = client.get("/desk/").get_data(as_text=True)
    row = re.search(rf'<tr[^>]*data-task="{claimed}">(.*?)</tr>', inbox, re.S).group(1)
    assert "张三" in row and "zhangsan" not in inbox
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    timeline = re.search(r'<ol[^>]*id="timeline">(.*?)</ol>', page, re.S).group(1)
    assert "<strong>张三</strong> 认领任务“审核”：无 → 张三" in timeline
    assert "发起案件" in timeline and "<strong>reviewer1</strong>" in timeline  # no display name: the username
    tasks = re.search(r'<table[^>]*id="tasks">(.*?)</table>', page, re.S).group(1)
    assert "张三" in tasks and "zhangsan" not in page


def test_supervisors_choose_reviewers_by_name(client, case, claimed):
    login(client, "supervisor1")
    inbox = client.get("/desk/").get_data(as_text=True)
    assert '<option value="zhangsan">张三</option>' in inbox
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert '<option value="zhangsan">张三</option>' in page


def test_the_api_keeps_usernames_and_adds_names(client, case, claimed):
    auth = headers(client, "reviewer2")
    [task] = client.get("/api/v1/tasks", headers=auth).get_json()["items"]
    assert (task["assignee"], task["assignee_name"]) == ("zhangsan", "张三")
    doc = client.get(f"/api/v1/cases/{case.id}", headers=auth).get_json()
    claim = next(e for e in doc["events"] if e["kind"] == "task_claimed")
    assert (claim["actor"], claim["actor_name"], claim["after"]) == ("zhangsan", "张三", {"assignee": "zhangsan"})
    assert claim["summary"] == "认领任务“审核”：无 → 张三"
    started = next(e for e in doc["events"] if e["kind"] == "case_started")
    assert (started["actor"], started["actor_name"], started["summary"]) == ("reviewer1", "reviewer1", "发起案件")
    assert [(t["assignee"], t["assignee_name"]) for t in doc["tasks"] if t["state"] == "ready"] == [("zhangsan", "张三")]


def test_someone_elses_claim_is_refused_by_name(client, case, claimed):
    refused = client.post(f"/api/v1/tasks/{claimed}/claim", headers=headers(client, "reviewer2"))
    assert refused.status_code == 409 and refused.get_json()["message"] == "任务已由 张三 认领"


def test_the_letters_register_names_the_issuing_organ_and_the_officer(client, case, zhangsan):
    made = client.post(f"/api/v1/cases/{case.id}/letters", headers=headers(client, zhangsan),
                       json={"type": "acceptance", "context": context_for()})
    assert made.status_code == 201 and (made.get_json()["issued_by"], made.get_json()["issued_by_name"]) == (
        "zhangsan", "张三")
    login(client, "reviewer1")
    register = client.get("/letters/").get_data(as_text=True)
    assert "张三" in register and "zhangsan" not in register
    assert "泉州市社会信用体系建设领导小组办公室" in register  # the issuing organ


def test_the_inbox_reads_names_in_one_lookup_beside_its_index_query(runtime, clock, case, claimed):
    """The task list stays a query of the inbox index (no join to app_user); the assignees'
    names are one more small query for the page."""
    statements: list[str] = []

    def watch(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(runtime.store.engine, "before_cursor_execute", watch)
    try:
        page = inbox_page(runtime.store, REVIEWER2, InboxFilter(), clock.now(), 50, None)
    finally:
        event.remove(runtime.store.engine, "before_cursor_execute", watch)
    assert page.names == {"zhangsan": "张三"}
    tasks = [s for s in statements if "FROM human_task" in s]
    users = [s for s in statements if "app_user" in s]
    assert tasks and not any("app_user" in s for s in tasks)
    assert len(users) == 1 and " IN " in users[0]
