"""The bell in the header counts unread notifications; the list marks one or all read; the
settings page checks the address in the operation and keeps what was typed."""
from __future__ import annotations

import re

from tests.support.web import login
from tests.web.notifications.helpers import assign, filed_case


def _bell(html: str) -> int:
    found = re.search(r'id="bell-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_bell_counts_and_the_list_marks_read(client, clock, make_record):
    for days in (140, 141):
        assign(client, filed_case(client, clock, make_record, days))
    login(client, "reviewer1")
    assert _bell(client.get("/desk/").get_data(as_text=True)) == 2
    page = client.get("/notifications").get_data(as_text=True)
    ids = re.findall(r'data-notification="(\d+)"', page)
    assert len(ids) == 2 and page.count("已分派给您办理") == 2 and "/desk/cases/" in page
    after = client.post(f"/notifications/{ids[0]}/read", follow_redirects=True).get_data(as_text=True)
    assert _bell(after) == 1
    after = client.post("/notifications/read", follow_redirects=True).get_data(as_text=True)
    assert _bell(after) == 0 and 'id="no-notifications"' not in after and "未读" not in after
    assert client.post(f"/notifications/{ids[0]}/read").status_code == 404  # already read


def test_nobody_reads_someone_elses_notification(client, clock, make_record):
    assign(client, filed_case(client, clock, make_record))
    login(client, "reviewer1")
    [own] = re.findall(r'data-notification="(\d+)"', client.get("/notifications").get_data(as_text=True))
    client.post("/logout")
    login(client, "reviewer2")
    assert client.post(f"/notifications/{own}/read").status_code == 404
    client.post("/logout")
    login(client, "reviewer1")
    assert _bell(client.get("/desk/").get_data(as_text=True)) == 1


def test_a_bad_address_is_refused_next_to_its_field_and_kept(client, world):
    login(client, "reviewer1")
    answer = client.post("/account/notifications", data={"email": "reviewer1@@example", "mobile": "12345",
                                                          "email_groups": ["task_assigned"]})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "电子邮箱地址格式不正确" in page and 'value="reviewer1@@example"' in page
    assert 'value="reviewer1@@example"' not in client.get("/account/notifications").get_data(as_text=True)
    answer = client.post("/account/notifications", data={"email": "Reviewer1@Example.gov.cn", "mobile": "139 5000 1234",
                                                          "email_groups": ["task_assigned"]}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "通知设置已保存" in page and 'value="Reviewer1@example.gov.cn"' in page and 'value="13950001234"' in page
    ticked = re.findall(r'<input checked[^>]*value="(\w+)"', page)
    assert ticked == ["task_assigned"]
