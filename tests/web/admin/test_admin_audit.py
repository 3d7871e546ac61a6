"""`/admin/audit` and its CSV export: auditors and the credit office search the audit log."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.support.audit import add_events, seed_audit
from tests.support.subjects import COMPANY, OTHER
from tests.support.web import PASSWORD, login
from workflows.people.subjects import register_subject
from workflows.people.users import create_user

PAGE, EXPORT = "/admin/audit", "/admin/audit.csv"


@pytest.fixture
def staff(store, clock, users):
    """admin1 and reviewer1 (from `users`), auditor1 and applicant1."""
    with store.write() as uow:
        create_user(uow.session, "auditor1", PASSWORD, ["auditor"], clock.now())
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", clock.now())
        uow.session.flush()
        create_user(uow.session, "applicant1", PASSWORD, ["applicant"], clock.now(), subject_code=COMPANY)
        uow.commit()


@pytest.fixture
def seeded(store, staff):
    return seed_audit(store)


def shown(client, **args) -> list[int]:
    response = client.get(PAGE, query_string=args)
    assert response.status_code == 200
    return [int(n) for n in _rows(response.get_data(as_text=True))]


def _rows(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-event="')[1:]]


def test_auditor_sees_the_log_newest_first_with_output_escaped(client, seeded):
    login(client, "auditor1")
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "审计日志" in html and 'href="/admin/audit"' in html  # nav entry
    ids = seeded["events"]
    assert [n for n in map(int, _rows(html)) if n in ids] == ids[::-1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "国庆调休" in html and OTHER in html


def test_filters_narrow_the_page(client, seeded):
    login(client, "admin1")
    ids = seeded["events"]
    assert shown(client, actor="reviewer1") == [ids[1], ids[0]]
    assert shown(client, subject_code=OTHER) == [ids[2]]
    assert shown(client, case_id=seeded["cases"][0], kind="task_completed") == [ids[0]]
    assert shown(client, since="2026-08-11", until="2026-08-12") == [ids[2], ids[1]]


def test_fifty_per_page_and_a_next_page_link(client, store, staff):
    ids = add_events(store, 55)
    login(client, "auditor1")
    html = client.get(PAGE, query_string={"actor": "bulk1"}).get_data(as_text=True)
    assert [int(n) for n in _rows(html)] == ids[:4:-1]
    link = html.split('id="next-page" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "actor=bulk1" in link and f"cursor={ids[5]}" in link
    assert [int(n) for n in _rows(client.get(link).get_data(as_text=True))] == ids[4::-1]


@pytest.mark.parametrize(("args", "message"), [
    ({"case_id": "abc"}, "案件编号必须是正整数"),
    ({"since": "2026-13-01"}, "开始日期格式不正确"),
    ({"actor": "长" * 65}, "操作人不能超过64个字符"),
])
def test_bad_input_gets_a_chinese_message_not_a_500(client, seeded, args, message):
    login(client, "auditor1")
    response = client.get(PAGE, query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'id="audit-error"' in html
    assert 'maxlength="64"' in html and 'maxlength="18"' in html and 'maxlength="10"' in html
    assert client.get(EXPORT, query_string=args).status_code == 400


def test_csv_export_of_the_current_filter(client, seeded):
    login(client, "auditor1")
    response = client.get(EXPORT, query_string={"since": "2026-08-11"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Chinese
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["事件编号", "时间", "操作人", "事件类型", "案件", "主体代码", "摘要", "变更前", "变更后", "显示名称"]
    ids = seeded["events"]
    rows = [rows[0], *(row for row in rows[1:] if row[3] != "binding_granted")]  # applicant1's account set-up
    assert [int(row[0]) for row in rows[1:]] == [ids[3], ids[2], ids[1]]
    assert rows[3][1:6] == ["2026-08-11 00:10:00", "reviewer1", "letter_issued", str(seeded["cases"][0]), COMPANY]
    assert rows[1][6] == "'=1+2 <script>alert(1)</script>"  # no formula for Excel to run
    assert rows[1][8] == '{"note": "国庆调休"}'


@pytest.mark.parametrize("username", ["reviewer1", "applicant1"])
def test_reviewers_and_applicants_are_refused_and_see_no_link(client, seeded, username):
    login(client, username)
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert 'href="/admin/audit"' not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_anonymous_callers_are_sent_to_the_login_page(client):
    assert client.get(PAGE).status_code == 302


def test_the_log_shows_names_and_labels_system_actors(client, store, seeded):
    system_event, client_event = add_events(store, 1, actor="system") + add_events(store, 1, actor="client:platform")
    login(client, "auditor1")
    html = client.get(PAGE).get_data(as_text=True)
    cells = dict(re.findall(r'<tr data-event="(\d+)">\s*<td[^>]*>[^<]*</td>\s*<td title="[^"]*">([^<]*)</td>', html))
    ids = seeded["events"]
    assert cells[str(ids[0])] == "李审核" and cells[str(ids[3])] == "王管理"  # display names of reviewer1, admin1
    assert cells[str(ids[2])] == "applicant2"  # no such account: the username as it was recorded
    assert (cells[str(system_event)], cells[str(client_event)]) == ("系统", "对接系统：platform")
    rows = list(csv.reader(io.StringIO(client.get(EXPORT).get_data().decode("utf-8-sig"))))
    by_id = {row[0]: row for row in rows[1:]}
    assert (by_id[str(ids[0])][2], by_id[str(ids[0])][-1]) == ("reviewer1", "李审核")  # both columns


def _link(html: str, name: str) -> str:
    return html.split(f'id="{name}" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_a_previous_page_link_steps_back_with_the_filter_kept(client, store, staff):
    ids = add_events(store, 120)
    login(client, "auditor1")
    first = client.get(PAGE, query_string={"actor": "bulk1"}).get_data(as_text=True)
    assert 'id="prev-page"' not in first and 'id="first-page"' not in first
    second = client.get(_link(first, "next-page")).get_data(as_text=True)
    third = client.get(_link(second, "next-page")).get_data(as_text=True)
    assert [int(n) for n in _rows(third)] == ids[19::-1] and 'id="next-page"' not in third
    back = _link(third, "prev-page")
    assert "actor=bulk1" in back and f"after={ids[19]}" in back
    assert _rows(client.get(back).get_data(as_text=True)) == _rows(second)
    back_again = client.get(_link(second, "prev-page")).get_data(as_text=True)
    assert _rows(back_again) == _rows(first) and 'id="prev-page"' not in back_again
    assert 'id="next-page"' in back_again


def test_both_page_positions_at_once_are_refused(client, seeded):
    login(client, "auditor1")
    response = client.get(PAGE, query_string={"cursor": "5", "after": "3"})
    assert response.status_code == 400 and "翻页位置只能给出一个" in response.get_data(as_text=True)
