"""A refused desk decision comes back as typed: the chosen option, the reason, the corrections,
each error in Chinese beside its field, and nothing changed in the case."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.support.api_cases import SUBJECT_A, case_of, complete, file_request, open_task, start_interview
from tests.support.web import bearer, login, token_for
from workflows.core.clock import to_local


def _form_task(page: str) -> str:
    return re.search(r'/desk/tasks/([0-9a-f-]+)/complete', page).group(1)


def _error_of(page: str, field: str) -> str:
    found = re.search(rf'id="{re.escape(field)}-error">([^<]+)<', page)
    return found.group(1) if found else ""


def test_refused_repair_review_keeps_the_choice_and_the_items(client, clock, make_record):
    clock.set("2024-06-03T10:00:00+08:00")  # received under Order 58: the credit office decides
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2023-12-01")]).get_json()
    login(client, "reviewer1")
    task_id = _form_task(client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True))
    refused = client.post(f"/desk/tasks/{task_id}/complete", data={
        "decision": "reject", "reason": "", "supplement_items": "完税证明\n整改报告",
        "version": doc["version"], "case_id": doc["id"]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="decision-reject" value="reject" required checked', page)
    assert "完税证明\n整改报告</textarea>" in page
    assert _error_of(page, "reason") == "请填写理由"
    assert "decision：" not in page and "reason：" not in page  # no raw keys
    after = case_of(client, token_for(client, "reviewer1"), doc["id"])
    assert after["version"] == doc["version"] and open_task(after, "review")["id"] == task_id


def test_no_choice_is_named_in_chinese_beside_the_options(client, make_record):
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    login(client, "reviewer1")
    task_id = _form_task(client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True))
    page = client.post(f"/desk/tasks/{task_id}/complete", data={
        "reason": "材料已核对", "version": doc["version"], "case_id": doc["id"]}).get_data(as_text=True)
    assert _error_of(page, "decision") == "请选择其中一项：转认定部门、需补正"
    assert "材料已核对</textarea>" in page


def _objection_at_verify(client, record_id):
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"target": "content", "claim": "罚款金额应为二万元", "evidence": "处罚决定书原件"}}
    doc = client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")), json=body).get_json()
    return complete(client, token_for(client, "reviewer1"), open_task(doc, "first_review")["id"], doc["version"],
                    decision="accept").get_json()


def test_correction_without_a_change_keeps_the_section_open_with_its_error(client, make_record):
    record_id = make_record("2026-05-10")
    doc = _objection_at_verify(client, record_id)
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert re.search(r'<details class="mb-3" id="corrections" data-open-with="outcome=correct">', page)  # closed
    refused = client.post(f"/desk/tasks/{_form_task(page)}/complete", data={
        "outcome": "correct", "reason": "经核实罚款金额无误", "orig_content": "罚款人民币二万元",
        "corr_content": "罚款人民币二万元", "version": doc["version"], "case_id": doc["id"]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="corrections" data-open-with="outcome=correct" open>', page)
    assert _error_of(page, "corrections") == "请在“更正内容”中至少改动一项"
    assert "经核实罚款金额无误</textarea>" in page and 'id="outcome-correct" value="correct" required checked' in page
    assert "{&#34;content&#34;" not in page and '{"content"' not in page


def test_future_decision_date_in_a_correction_is_refused_beside_that_field(client, clock, make_record):
    record_id = make_record("2026-05-10")
    doc = _objection_at_verify(client, record_id)
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    future = (to_local(clock.now()).date() + timedelta(days=1)).isoformat()
    refused = client.post(f"/desk/tasks/{_form_task(page)}/complete", data={
        "outcome": "correct", "reason": "决定日期有误", "orig_decision_date": "2026-05-10",
        "corr_decision_date": future, "version": doc["version"], "case_id": doc["id"]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert _error_of(page, "decision_date").startswith("决定日期不能晚于今天")
    assert f'value="{future}"' in page
    after = case_of(client, token_for(client, "dept1"), doc["id"])
    assert after["version"] == doc["version"] and after["status"] == "running"


def test_interview_conduct_keeps_ticked_topics_and_the_plan(client, make_record):
    doc = start_interview(client, token_for(client, "dept1"), [make_record("2026-05-10")]).get_json()
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    refused = client.post(f"/desk/tasks/{_form_task(page)}/complete", data={
        "attended": "yes", "topics_covered": ["policy", "repair"], "rectification_plan": "建立进货查验制度",
        "rectification_due_days": "15", "attendees": "陈志明（法定代表人）", "version": doc["version"], "case_id": doc["id"]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert _error_of(page, "topics_covered") == "三项内容均须谈到并勾选"
    assert 'id="topic-policy" checked' in page and 'id="topic-repair" checked' in page
    assert 'id="topic-measures">' in page  # the one left out stays unticked
    assert "建立进货查验制度</textarea>" in page and 'value="15"' in page and 'value="陈志明（法定代表人）"' in page
    assert 'id="attended-yes" value="yes" required checked' in page


def test_the_api_names_the_same_fields_in_the_same_words(client, make_record):
    doc = _objection_at_verify(client, make_record("2026-05-10"))
    dept = token_for(client, "dept1")
    verify = open_task(doc, "verify")["id"]
    empty = complete(client, dept, verify, doc["version"], outcome="correct", reason="金额有误", corrections={})
    assert empty.status_code == 400 and empty.get_json()["fields"] == {"corrections": "请在“更正内容”中至少改动一项"}
    unchosen = complete(client, dept, verify, doc["version"], reason="金额有误")
    assert unchosen.get_json()["fields"] == {"outcome": "请选择更正、撤销或维持"}
    assert case_of(client, dept, doc["id"])["version"] == doc["version"]
