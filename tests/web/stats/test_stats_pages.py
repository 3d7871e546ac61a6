"""The /stats pages, exports and the quarterly report over HTTP (SQLite and PostgreSQL): who may
see what, charts drawn on the server with their tables, CSV with a BOM, XLSX, the archived PDF."""
from __future__ import annotations

import hashlib
import io

import pytest
from openpyxl import load_workbook

from tests.support.api_cases import file_request, repair_decided
from tests.support.letters import needs_pdftotext, pdftotext
from tests.support.web import login, token_for

YEAR = "/stats/repair?period=year&year=2026"


@pytest.fixture
def approved(client, make_record, staff) -> int:
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    done = repair_decided(client, doc)
    assert done.status_code == 200, done.get_json()
    return doc["id"]


def test_page_shows_charts_beside_their_tables(client, approved):
    login(client, "admin1")
    answer = client.get(YEAR)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "信用修复办理情况" in html and "按月申请及办理结果" in html and "不予受理原因" in html
    main = html.split("<main")[1].split("</main>")[0]  # the header's bell icon is an svg too
    assert main.count("<svg") == 3 and "<script" not in main
    policy = answer.headers["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy
    assert client.get("/stats/").status_code == 302


@pytest.mark.parametrize("user, status", [("auditor1", 200), ("supervisor1", 200), ("dept1", 200),
                                          ("reviewer1", 403), ("applicant1", 403)])
def test_who_may_read_statistics(client, staff, user, status):
    login(client, user)
    assert client.get(YEAR).status_code == status


def test_a_department_sees_its_own(client, app, approved, other_department):
    login(client, "dept2")
    html = client.get(YEAR + "&department=QZ-SCJG").get_data(as_text=True)
    assert 'name="department"' not in html  # no picker: the filter is its own department
    row = html.split("<td>申请</td>")[1].split("</tr>")[0]
    assert "<td>0</td>" in row
    own = app.test_client()
    login(own, "dept1")
    row = own.get(YEAR).get_data(as_text=True).split("<td>申请</td>")[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_bad_period_is_refused_with_a_message(client, staff):
    login(client, "admin1")
    answer = client.get("/stats/repair?period=decade")
    assert answer.status_code == 400 and "统计期间类型无效" in answer.get_data(as_text=True)
    assert client.get("/stats/nothing?period=year").status_code == 404


def test_csv_has_a_bom_and_xlsx_every_table(client, approved):
    login(client, "admin1")
    csv = client.get("/stats/repair/repair_summary.csv?period=year&year=2026")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "项目,数量" and "予以修复,1" in lines
    book = load_workbook(io.BytesIO(client.get("/stats/export.xlsx?period=year&year=2026").data))
    assert {"信用修复办理情况", "履约情况", "待办任务（按泳道和已等待天数）"} <= set(book.sheetnames)
    sheet = book["信用修复办理情况"]
    assert [c.value for c in sheet[6]] == ["予以修复", 1]  # heading, columns, 申请, 受理, 不予受理
    one = load_workbook(io.BytesIO(client.get("/stats/repair/repair_rate.xlsx?period=year&year=2026").data))
    assert one.sheetnames == ["信用修复率"]


@needs_pdftotext
def test_quarterly_report_is_generated_and_archived(client, app, approved):
    login(client, "admin1")
    query = "period=quarter&year=2026&quarter=3"
    answer = client.post(f"/stats/reports?{query}")
    assert answer.status_code == 302
    page = client.get(f"/stats/reports?{query}").get_data(as_text=True)
    assert "2026年第3季度社会信用体系建设工作情况" in page
    link = page.split('href="/stats/reports/')[1].split('"')[0]
    pdf = client.get(f"/stats/reports/{link}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["ETag"] == f'"{hashlib.sha256(pdf.data).hexdigest()}"'
    assert client.get(f"/stats/reports/{link}").data == pdf.data  # the archived bytes, every time
    text = pdftotext(pdf.data)
    assert "2026年第3季度社会信用体系建设工作情况" in text
    assert "一、信用修复" in text and "信用修复率" in text and "予以修复1件" in text.replace(" ", "").replace("\n", "")
    assert "二、异议处理" in text and "四、约谈与预警" in text
    auditor = app.test_client()
    login(auditor, "auditor1")
    assert auditor.post(f"/stats/reports?{query}").status_code == 403  # auditors read the archive only
    assert auditor.get(f"/stats/reports/{link}").data == pdf.data


def test_api_twin_answers_the_same_figures(client, approved):
    token = token_for(client, "supervisor1")
    answer = client.get("/api/v1/statistics/repair?period=year&year=2026", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["figures"]["approved"] == 1 and body["period"]["label"] == "2026年"
    assert ["予以修复", 1] in next(t for t in body["tables"] if t["key"] == "repair_summary")["rows"]
    refused = client.get("/api/v1/statistics/repair?period=decade", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 400 and refused.get_json()["fields"]["period"]
    applicant = token_for(client, "applicant1")
    assert client.get("/api/v1/statistics/repair", headers={"Authorization": f"Bearer {applicant}"}).status_code == 403
