"""The staff records pages: list with search and filters, detail, the create form and its messages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.records import COMPANY, PERSON, record_data, stored
from tests.support.web import PASSWORD, login
from workflows.people.users import create_user
from workflows import records
from workflows.core.models.records import CreditRecord


def form_data(**changes) -> dict[str, str]:
    data = {k: v for k, v in record_data(**changes).items() if k != "measures" and v is not None}
    data.update({"measure_0-name": "限制参加政府采购", "measure_0-basis": "联合惩戒备忘录",
                 "measure_2-name": "列为重点监管对象"})
    return data


def test_department_officer_creates_a_record_from_the_form(client, people, store):
    login(client, "dept1")
    page = client.get("/records/new").get_data(as_text=True)
    assert 'value="QZ-SCJG"' in page and "泉州市市场监督管理局" in page and "登记信用记录" in page
    response = client.post("/records/new", data=form_data(severity="serious"))
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已登记" in detail  # the flash message
    for text in ("泉市监罚〔2026〕12号", "公示中", "2027-05-10", "2029-05-10", "限制参加政府采购",
                 "列为重点监管对象", "执行中", "国家发展改革委令2025年第36号", "登记"):
        assert text in detail, text
    with store.read() as session:
        record = session.scalars(select(CreditRecord)).one()
        assert (record.source, record.created_by, record.severity) == ("web", "dept1", "serious")
        assert [m.name for m in records.record_measures(session, record.id)] == ["限制参加政府采购", "列为重点监管对象"]


def test_form_shows_chinese_messages_next_to_fields_and_changes_nothing(app, client, people, store):
    login(client, "admin1")
    bad = form_data(subject_code="91350100M000100Y44", decision_no="", decision_date="2026-12-01", kind="fine")
    bad.pop("measure_0-name")
    response = client.post("/records/new", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("校验位不符：第18位应为3", "请填写决定书文号", "决定日期不能晚于今天（2026-09-30）",
                    "请填写措施名称", "信用记录信息不完整或不正确"):
        assert message in page, message
    assert 'value="联合惩戒备忘录"' in page  # what the officer typed is kept
    assert stored(store) == 0
    assert client.post("/records/new", data=form_data()).status_code == 302
    client = app.test_client()
    login(client, "dept1")
    refused = client.post("/records/new", data=form_data(decision_no="X-1", department_code="XM-YJ"))
    assert refused.status_code == 403 and "认定部门只能登记本部门作出的信用记录" in refused.get_data(as_text=True)
    assert stored(store) == 1


def test_list_search_filters_and_access(app, client, people, store):
    login(client, "admin1")
    client.post("/records/new", data=form_data())
    client.post("/records/new", data=form_data(decision_no="厦应急罚〔2026〕5号", subject_code="91350200MA2Y4G5U0E",
                                               subject_name="厦门海沧建材贸易有限公司", kind="serious_list"))
    person = client.post("/records/new", data=form_data(decision_no="泉市监罚〔2026〕99号", subject_code=PERSON,
                                                         subject_name="张三"))
    listing = client.get("/records/").get_data(as_text=True)
    assert "泉市监罚〔2026〕12号" in listing and "厦应急罚〔2026〕5号" in listing and "信用记录" in listing
    assert "1101**********002X" in listing and PERSON not in listing  # ID numbers masked in lists
    assert PERSON in client.get(person.headers["Location"]).get_data(as_text=True)  # staff detail: in full
    by_name = client.get("/records/?q=海沧").get_data(as_text=True)
    assert "厦应急罚〔2026〕5号" in by_name and "泉市监罚〔2026〕12号" not in by_name
    by_code = client.get(f"/records/?q={COMPANY}").get_data(as_text=True)
    assert "泉市监罚〔2026〕12号" in by_code and "厦应急罚〔2026〕5号" not in by_code
    by_kind = client.get("/records/?kind=serious_list").get_data(as_text=True)
    assert "厦应急罚〔2026〕5号" in by_kind and "泉市监罚〔2026〕12号" not in by_kind
    assert "没有符合条件的记录" in client.get("/records/?status=revoked").get_data(as_text=True)
    assert 'href="/records"' in client.get("/").get_data(as_text=True)  # navigation
    client = app.test_client()
    login(client, "applicant1")
    assert client.get("/records/").status_code == 403
    assert client.get("/records/new").status_code == 403


@pytest.mark.parametrize("path", ["/records/", "/records/new", "/records/1"])
def test_anonymous_users_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_history_names_who_changed_the_record(client, people, store, clock):
    with store.write() as uow:
        create_user(uow.session, "chenjing", PASSWORD, ["department"], clock.now(), department_code="QZ-SCJG",
                    display_name="陈静")
        uow.commit()
    login(client, "chenjing")
    response = client.post("/records/new", data=form_data())
    login(client, "reviewer1")
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    history = re.search(r'<table[^>]*id="history">(.*?)</table>', detail, re.S).group(1)
    assert "陈静" in history and "chenjing" not in history


def test_the_form_records_the_category_of_misconduct_and_the_page_says_why_it_cannot_be_repaired(client, people, store):
    login(client, "dept1")
    page = client.get("/records/new").get_data(as_text=True)
    assert "失信行为类别" in page and 'value="telecom_fraud"' in page
    response = client.post("/records/new", data=form_data(misconduct_category="telecom_fraud"))
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "电信网络诈骗" in detail and "危害后果无法消除" in detail  # Order 36 (decided 2026-05-10)
    with store.read() as session:
        record = session.scalars(select(CreditRecord)).one()
        assert (record.misconduct_category, record.category_non_repairable, record.non_repairable) == (
            "telecom_fraud", True, False)


def test_the_form_refuses_an_unregistered_department_next_to_its_field(client, people, store):
    login(client, "admin1")
    response = client.post("/records/new", data=form_data(department_code="QZ-NOSUCH"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "认定部门未登记" in page
    assert 'value="联合惩戒备忘录"' in page and stored(store) == 0
