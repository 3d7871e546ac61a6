"""The desk's case search: by subject name, code, record number and case number; filters,
sort, totals and pages; saved personal filters; the CSV export of exactly the filtered rows."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.support.api_cases import SUBJECT_A, SUBJECT_B, file_request
from tests.support.web import login, page, token_for

NAME_A, NAME_B = "泉州市清源食品有限公司", "厦门海沧建材贸易有限公司"


@pytest.fixture
def cases(client, make_record) -> dict[str, int]:
    """Two repair cases of subject A (records of May and June), one of subject B."""
    token_a, token_b = token_for(client, "applicant1"), token_for(client, "applicant2")
    first = file_request(client, token_a, [make_record("2026-05-10")]).get_json()["id"]
    second = file_request(client, token_a, [make_record("2026-06-11")]).get_json()["id"]
    body = {"kind": "repair", "subject_code": SUBJECT_B, "record_ids": [make_record("2026-05-12", subject=SUBJECT_B)],
            "form": {"reason": "已缴清罚款并完成整改", "rectification": "已整改", "commitment_accepted": True}}
    other = client.post("/api/v1/cases", headers={"Authorization": f"Bearer {token_b}"}, json=body).get_json()["id"]
    return {"first": first, "second": second, "other": other}


def found(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)]


def total(html: str) -> int:
    return int(re.search(r'data-total="(\d+)"', html).group(1))


def test_search_finds_cases_by_name_code_record_number_and_case_number(client, cases):
    login(client, "reviewer1")
    assert sorted(found(page(client, "/desk/search?q=清源食品"))) == sorted([cases["first"], cases["second"]])
    assert found(page(client, f"/desk/search?q={SUBJECT_B}")) == [cases["other"]]
    assert found(page(client, f"/desk/search?q={SUBJECT_B.lower()}")) == [cases["other"]]
    assert found(page(client, "/desk/search?q=〔2026〕0611号")) == [cases["second"]]
    assert found(page(client, f"/desk/search?q=%23{cases['first']}")) == [cases["first"]]
    assert found(page(client, "/desk/search?q=没有这个主体")) == []


def test_filters_sort_and_totals(client, cases):
    login(client, "reviewer1")
    html = page(client, "/desk/search")
    assert total(html) == 3 and found(html) == [cases["other"], cases["second"], cases["first"]]  # newest first
    assert total(page(client, "/desk/search?kind=objection")) == 0
    assert total(page(client, "/desk/search?kind=repair&state=running&department=QZ-SCJG")) == 3
    assert total(page(client, "/desk/search?state=completed")) == 0
    due = found(page(client, "/desk/search?sort=due"))
    assert sorted(due) == sorted(cases.values())
    assert "共 3 条" in html or "of 3" in html


def test_pages_have_previous_next_and_total(client, cases, monkeypatch):
    from webapp.desk import search
    monkeypatch.setattr(search, "PAGE", 2)
    login(client, "reviewer1")
    first = page(client, "/desk/search")
    assert total(first) == 3 and len(found(first)) == 2 and 'id="next-page"' in first and 'id="prev-page"' not in first
    second = page(client, "/desk/search?page=2")
    assert found(second) == [cases["first"]] and 'id="prev-page"' in second and 'id="next-page"' not in second
    assert client.get("/desk/search?page=0").status_code == 400


def test_bad_filters_are_refused_in_chinese(client, cases):
    login(client, "reviewer1")
    html = page(client, "/desk/search?kind=nonsense", 400)
    assert "搜索条件有误" in html


def test_department_officer_finds_only_own_departments_cases(client, cases, other_department):
    login(client, "dept2")
    assert total(page(client, "/desk/search?q=清源")) == 0
    client.post("/logout")
    login(client, "dept1")
    assert total(page(client, "/desk/search?q=清源")) == 2


def test_applicants_cannot_search(client, cases):
    login(client, "applicant1")
    assert client.get("/desk/search?q=清源").status_code in (302, 403)


def test_csv_export_has_a_bom_chinese_headers_and_exactly_the_filtered_rows(client, cases):
    login(client, "reviewer1")
    answer = client.get(f"/desk/search.csv?q={SUBJECT_A}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    raw = answer.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["案件编号", "案件类型", "案件状态"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([cases["first"], cases["second"]])
    assert {r[3] for r in rows[1:]} == {NAME_A} and {r[1] for r in rows[1:]} == {"信用修复"}


def test_saved_filters_are_personal(client, cases):
    login(client, "reviewer1")
    answer = client.post("/desk/search/filters", data={"name": "清源的案件", "q": "清源", "state": "running"})
    assert answer.status_code == 302
    html = page(client, "/desk/search")
    link = re.search(r'href="([^"]+)">清源的案件</a>', html).group(1).replace("&amp;", "&")
    assert total(page(client, link)) == 2
    refused = client.post("/desk/search/filters", data={"name": "空的"}, follow_redirects=True)
    assert "没有可保存的条件" in refused.get_data(as_text=True)
    client.post("/logout")
    login(client, "reviewer2")
    assert "清源的案件" not in page(client, "/desk/search")


def test_header_search_box_is_on_staff_pages_only(client, cases):
    login(client, "reviewer1")
    assert 'id="header-search"' in page(client, "/desk/")
    client.post("/logout")
    login(client, "applicant1")
    assert 'id="header-search"' not in page(client, "/portal/")


def test_the_api_searches_cases_and_tasks_alike(client, cases):
    token = token_for(client, "reviewer1")
    auth = {"Authorization": f"Bearer {token}"}
    found = client.get("/api/v1/cases?q=海沧&limit=1", headers=auth).get_json()
    assert found["total"] == 1 and [c["id"] for c in found["items"]] == [cases["other"]]
    assert found["items"][0]["subject_name"] == NAME_B and found["items"][0]["tasks"]
    paged = client.get("/api/v1/cases?q=清源&limit=1", headers=auth).get_json()
    assert paged["total"] == 2 and paged["next_cursor"] == "2"
    rest = client.get("/api/v1/cases?q=清源&limit=1&cursor=2", headers=auth).get_json()
    assert rest["next_cursor"] is None and rest["items"][0]["id"] != paged["items"][0]["id"]
    tasks = client.get("/api/v1/tasks?q=海沧", headers=auth).get_json()["items"]
    assert {t["case_id"] for t in tasks} == {cases["other"]}
    assert client.get("/api/v1/cases?kind=nonsense", headers=auth).status_code == 400
    applicant = {"Authorization": f"Bearer {token_for(client, 'applicant1')}"}
    assert client.get("/api/v1/cases?q=清源", headers=applicant).status_code == 403
