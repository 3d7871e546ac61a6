"""The reviewer desk pages: inbox with counts and claim, case page with tasks, letters, timeline."""
from __future__ import annotations

import re

import pytest

from workflows.people.access import Actor

from tests.support.flow_kinds import DATA_DIR
from tests.support.letters import context_for, drain_app_letters
from tests.support.subjects import COMPANY as SUBJECT
from tests.support.web import headers, login


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def count(page: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}">(\d+)<', page).group(1))


def test_inbox_claim_and_case_page(client, case, clock):
    login(client, "reviewer1")
    page = client.get("/desk/").get_data(as_text=True)
    assert "审核工作台" in page and "审核" in page and "2026-10-08 23:59" in page
    assert (count(page, "group"), count(page, "unclaimed"), count(page, "mine")) == (1, 1, 0)
    task_id = re.search(r'data-task="([0-9a-f-]+)"', page).group(1)
    claimed = client.post(f"/desk/tasks/{task_id}/claim", data={"next": "/desk/?view=mine"}, follow_redirects=True)
    page = claimed.get_data(as_text=True)
    assert "已认领任务" in page and count(page, "mine") == 1 and count(page, "unclaimed") == 0
    case_page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert "泉州市清源食品有限公司" in case_page and "reviewer1" in case_page
    assert "发起案件" in case_page and "认领" in case_page


def test_case_page_lists_letters(client, case):
    made = client.post(f"/api/v1/cases/{case.id}/letters", headers=headers(client, "reviewer1"),
                       json={"type": "acceptance", "context": context_for()}).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)  # numbered, not rendered yet
    assert made["number"] in page and "生成中" in page and f"/api/v1/letters/{made['id']}.pdf" not in page
    waiting = client.get(f"/api/v1/letters/{made['id']}.pdf", headers={"Accept": "text/html"})
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "2"
    assert "生成中" in waiting.get_data(as_text=True) and made["number"] in waiting.get_data(as_text=True)
    register = client.get("/letters/").get_data(as_text=True)
    assert made["number"] in register and "生成中" in register
    drain_app_letters(client)
    page = client.get(f"/desk/cases/{case.id}").get_data(as_text=True)
    assert made["number"] in page and f"/api/v1/letters/{made['id']}.pdf" in page and "生成中" not in page
    assert client.get(f"/api/v1/letters/{made['id']}.pdf").status_code == 200


def test_overdue_tab_and_applicant_refused(client, case, runtime, clock):
    clock.set("2026-10-09T09:00:00+08:00")
    runtime.engine.fire_due_timers()
    login(client, "reviewer1")
    page = client.get("/desk/?view=overdue").get_data(as_text=True)
    assert count(page, "overdue") == 1 and "已超期" in page
    client.post("/logout")
    login(client, "applicant1")
    assert client.get("/desk/").status_code == 403
    assert client.get(f"/desk/cases/{case.id}").status_code == 403


def test_claim_conflict_is_a_clear_message(client, case, runtime):
    from sqlalchemy import select
    from workflows.core.models.cases import HumanTask
    with runtime.store.read() as session:
        task_id = session.scalars(select(HumanTask.id)).one()
    runtime.engine.claim(task_id, Actor("reviewer2", frozenset({"reviewer"})))
    login(client, "reviewer1")
    page = client.post(f"/desk/tasks/{task_id}/claim", follow_redirects=True).get_data(as_text=True)
    assert "已由 reviewer2 认领" in page


def test_inbox_pages_fifty_at_a_time(client, runtime, people):
    reviewer = Actor("reviewer1", frozenset({"reviewer"}))
    for _ in range(52):
        runtime.engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    login(client, "reviewer1")
    first = client.get("/desk/").get_data(as_text=True)
    assert first.count("data-task=") == 50 and count(first, "group") == 52
    after = re.search(r'id="next-page"[^>]*href="[^"]*after=([^"&]+)', first) or \
        re.search(r'href="[^"]*after=([^"&]+)"[^>]*id="next-page"', first)
    second = client.get(f"/desk/?view=group&after={after.group(1)}").get_data(as_text=True)
    assert second.count("data-task=") == 2 and 'id="next-page"' not in second
