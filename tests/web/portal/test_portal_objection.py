"""Applicant portal: objections (异议) — the home link, the form, suspension, the case page, withdrawal."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from webapp import create_app
from workflows.people.access import Actor
from workflows.core.models.cases import Case
from workflows.core.models.attachments import Attachment
from workflows.records import get_record

from tests.support.files import pdf_bytes
from tests.support.portal import REVIEWER, SUBJECT_A, logged_in, open_task, page
from tests.support.web import bearer, csrf_token_from, login, token_for

DEPARTMENT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
SUSPENDED = "自 2026-09-30 10:00 起暂停公示，核实期间不执行联合惩戒"


def objection_form(record_ids: list[int], /, **changes) -> dict:
    form = {"record_ids": [str(i) for i in record_ids], "target": "content",
            "claim": "罚款金额应为二千元，公示为二万元", "evidence": "处罚决定书原件"}
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def post_objection(client, record_ids: list[int], **changes):
    return client.post("/portal/objection/new", data=objection_form(record_ids, **changes),
                       content_type="multipart/form-data")


def object_by_form(client, record_id: int, **changes) -> int:
    response = post_objection(client, [record_id], **changes)
    assert response.status_code == 302, page(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def check(client) -> dict:
    """逢办必查 as a reviewer sees it (a fresh client: the applicant's session stays as it is)."""
    token = token_for(client.application.test_client(), "reviewer1")
    return client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(token)).get_json()


def cases_count(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


def test_home_offers_an_objection_on_each_public_record(client, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    html = page(client.get("/portal/"))
    assert f"/portal/objection/new?record={record}" in html and "对此记录提出异议" in html


def test_the_form_preselects_the_record_and_names_the_targets_in_chinese(client, make_portal_record):
    record, other = make_portal_record("2026-05-10"), make_portal_record("2026-07-01")
    login(client, "applicant1")
    html = page(client.get(f"/portal/objection/new?record={record}"))
    assert f'value="{record}" id="record-{record}" checked' in html
    assert f'value="{other}" id="record-{other}">' in html  # choosable, not chosen
    assert all(label in html for label in ("信息内容", "公示期限", "信用修复结果", "异议请求和理由"))


def test_filing_shows_the_case_and_acceptance_suspends_the_record(client, store, runtime, make_portal_record):
    """By default (objection_rules.dmn) the record is suspended when the objection is accepted."""
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    assert len(check(client)["active_measures"]) == 1
    data = objection_form([record])
    data["evidence_files"] = [(io.BytesIO(pdf_bytes()), "处罚决定书.pdf")]
    response = client.post("/portal/objection/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert len(check(client)["active_measures"]) == 1  # filed, not yet accepted
    filed = page(client.get(f"/portal/cases/{case_id}"))
    assert SUSPENDED not in filed and "审核中，办理时限至 2026-10-08 23:59" in filed
    runtime.engine.complete_task(open_task(runtime, case_id, "first_review").id, {"decision": "accept"}, REVIEWER)
    during = check(client)
    assert during["active_measures"] == [] and [m["case_id"] for m in during["suspended_measures"]] == [case_id]
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "异议申请" in html and SUSPENDED in html and "信息内容" in html
    assert "罚款金额应为二千元" in html and "处罚决定书.pdf" in html and "撤回异议" in html
    with store.read() as session:
        assert session.scalars(select(Attachment.purpose)).all() == ["proof"]
        assert get_record(session, record).publicity_status == "suspended"
    home = page(client.get("/portal/"))
    assert "暂停公示（异议核实中）" in home and f"/portal/cases/{case_id}" in home and "异议核实中" in home
    assert f"/portal/objection/new?record={record}" not in home


def test_a_second_objection_on_the_same_record_is_refused_in_chinese(client, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    object_by_form(client, record)
    again = post_objection(client, [record], claim="再次提出")
    assert again.status_code == 422 and "已有正在办理的异议" in page(again)
    assert cases_count(store) == 1
    form = page(client.get(f"/portal/objection/new?record={record}"))
    assert f'id="record-{record}" disabled' in form and "异议核实中" in form


@pytest.mark.parametrize("changes, messages", [
    ({"claim": "  ", "target": None}, ["请填写异议请求和理由", "请选择异议对象"]),
    ({"record_ids": []}, ["请选择提出异议的信用记录"]),
])
def test_bad_input_is_shown_next_to_the_fields_and_stores_nothing(client, store, make_portal_record, changes, messages):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    data = objection_form([record], **changes)
    data["evidence_files"] = [(io.BytesIO(pdf_bytes()), "证据.pdf")]
    response = client.post("/portal/objection/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    html = page(response)
    assert all(message in html for message in messages) and "invalid-feedback" in html
    assert cases_count(store) == 0
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert get_record(session, record).publicity_status == "public"


def test_another_subjects_record_cannot_be_objected_to(client, store, make_portal_record):
    from tests.support.portal import SUBJECT_B
    foreign = make_portal_record("2026-05-11", subject=SUBJECT_B)
    login(client, "applicant1")
    response = post_objection(client, [foreign])
    assert response.status_code == 400 and "不属于该主体" in page(response)
    assert cases_count(store) == 0


def test_other_applicants_get_404(app, client, runtime, make_portal_record):
    login(client, "applicant1")
    case_id = object_by_form(client, make_portal_record("2026-05-10"))
    other = logged_in(app, "applicant2")
    assert other.get(f"/portal/cases/{case_id}").status_code == 404
    assert other.post(f"/portal/cases/{case_id}/withdraw").status_code == 404
    assert open_task(runtime, case_id, "first_review") is not None  # nothing changed


def test_withdrawal_from_the_portal_restores_publicity(client, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    case_id = object_by_form(client, record)
    assert client.post(f"/portal/cases/{case_id}/withdraw").status_code == 302
    with store.read() as session:
        case = session.get(Case, case_id)
        assert (case.status, case.outcome) == ("completed", "withdrawn")
        assert get_record(session, record).publicity_status == "public"
    after = check(client)
    assert len(after["active_measures"]) == 1 and after["suspended_measures"] == []
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "已撤回" in html and "withdraw-form" not in html and SUSPENDED not in html
    assert f"/portal/objection/new?record={record}" in page(client.get("/portal/"))  # may object again


def test_outcomes_and_letters_in_chinese(client, runtime, make_portal_record):
    login(client, "applicant1")
    case_id = object_by_form(client, make_portal_record("2026-05-10"))
    runtime.engine.complete_task(open_task(runtime, case_id, "first_review").id, {"decision": "accept"}, REVIEWER)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "异议受理通知书" in html and "认定部门核实中，核实时限至 2026-10-20 23:59" in html and SUSPENDED in html
    runtime.engine.complete_task(open_task(runtime, case_id, "verify").id,
                                 {"outcome": "revoke", "reason": "原处罚决定已被撤销"}, DEPARTMENT)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "已撤销" in html and "异议处理告知书" in html and SUSPENDED not in html
    assert "已撤销" in page(client.get("/portal/"))


def test_rejection_at_first_review_reads_not_accepted(client, runtime, make_portal_record):
    login(client, "applicant1")
    case_id = object_by_form(client, make_portal_record("2026-05-10"))
    runtime.engine.complete_task(open_task(runtime, case_id, "first_review").id,
                                 {"decision": "reject", "reason": "重复提出"}, REVIEWER)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "不予受理" in html and "不予修复" not in html


def test_the_form_needs_its_csrf_token(runtime, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    client = create_app({"TESTING": True, "RUNTIME": runtime}).test_client()
    token = csrf_token_from(page(client.get("/login")))
    client.post("/login", data={"username": "applicant1", "password": "correct horse 42", "csrf_token": token})
    assert post_objection(client, [record]).status_code == 400
    assert cases_count(store) == 0
    token = csrf_token_from(page(client.get(f"/portal/objection/new?record={record}")))
    response = client.post("/portal/objection/new", data={**objection_form([record]), "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and cases_count(store) == 1
