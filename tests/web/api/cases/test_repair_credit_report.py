"""Where the record's regime requires a credit report (527 serious, DMN repair_documents), the
office passes the file only with one attached: a decision without it is refused (422, nothing
written), a supplement asks for it, and the check is in the timeline. SQLite and PostgreSQL."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from tests.support.api_cases import (SUBJECT_A, complete, department_decides, file_request, letter_text, open_task)
from tests.support.files import pdf_bytes
from tests.support.web import bearer, token_for
from workflows.core.models.cases import CaseEvent
from workflows.core.models.letters import Letter
from workflows.people.access import Actor
from workflows.training.service import create_session, enroll, record_attendance


def _certificate(store, clock) -> str:
    admin = Actor("admin1", frozenset({"admin"}))
    with store.write() as uow:
        session = create_session(uow.session, {"course": "信用修复专题培训", "starts_at": clock.now().isoformat(),
                                               "provider": "泉州市信用办", "mode": "offline", "place": "市行政服务中心",
                                               "capacity": 30}, admin, clock.now())
        uow.session.flush()
        enrollment = enroll(uow.session, session.id, SUBJECT_A, "陈志明", admin, clock.now())
        uow.session.flush()
        record_attendance(uow.session, enrollment.id, True, admin, clock.now(), "http://t")
        uow.commit()
        return enrollment.certificate_no


def _upload(client, token, case_id, purpose="credit_report"):
    files = {"file": (io.BytesIO(pdf_bytes()), "信用报告.pdf"), "purpose": purpose}
    done = client.post(f"/api/v1/cases/{case_id}/attachments", headers=bearer(token), data=files,
                       content_type="multipart/form-data")
    assert done.status_code == 201, done.get_json()


def _counts(store):
    with store.read() as session:
        return (session.scalar(select(func.count()).select_from(CaseEvent)),
                session.scalar(select(func.count()).select_from(Letter)))


def test_office_review_under_527_needs_the_credit_report(client, clock, make_record, store):
    clock.set("2023-10-09T10:00:00+08:00")  # received under 527: the office decides
    record_id = make_record("2023-03-01", severity="serious")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id], training_certificate_no=_certificate(store, clock)).get_json()
    review = open_task(doc, "review")
    assert doc["events"][1]["kind"] == "eligibility_checked"
    before = _counts(store)
    refused = complete(client, rev, review["id"], doc["version"], decision="approve")
    assert refused.status_code == 422 and "信用报告" in refused.get_json()["message"]
    assert _counts(store) == before  # nothing written
    _upload(client, app1, doc["id"], purpose="proof")  # another document does not count
    assert complete(client, rev, review["id"], doc["version"], decision="approve").status_code == 422
    _upload(client, app1, doc["id"])
    done = complete(client, rev, review["id"], doc["version"], decision="approve").get_json()
    assert done["outcome"] == "approved"
    checked = next(e for e in done["events"] if e["kind"] == "credit_report_checked")
    assert "信用报告.pdf" in checked["summary"]


def test_a_supplement_asks_for_the_missing_credit_report(client, clock, make_record, store):
    clock.set("2023-10-09T10:00:00+08:00")
    record_id = make_record("2023-03-01", severity="serious")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id], training_certificate_no=_certificate(store, clock)).get_json()
    doc = complete(client, rev, open_task(doc, "review")["id"], doc["version"], decision="supplement",
                   reason="缺少罚款缴纳凭证", supplement_items=["罚款缴纳凭证"]).get_json()
    notice = next(item for item in doc["letters"] if item["type"] == "supplement_request")
    text = "".join(letter_text(client, app1, notice).split())
    assert "罚款缴纳凭证" in text and "信用报告" in text and "信用信息概况报告" in text
    _upload(client, app1, doc["id"])
    doc = complete(client, app1, open_task(doc, "supplement")["id"], doc["version"], rectification="已补交").get_json()
    done = complete(client, token_for(client, "reviewer1"), open_task(doc, "review")["id"], doc["version"],
                    decision="approve").get_json()
    assert done["outcome"] == "approved"


def test_forwarding_to_the_department_needs_the_credit_report(client, clock, make_record, store):
    clock.set("2025-08-01T10:00:00+08:00")  # received under 22号: 谁认定、谁修复; the record is 527 serious
    record_id = make_record("2023-03-01", severity="serious")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id], training_certificate_no=_certificate(store, clock)).get_json()
    first = open_task(doc, "first_review")
    refused = complete(client, rev, first["id"], doc["version"], decision="forward")
    assert refused.status_code == 422 and "信用报告" in refused.get_json()["message"]
    _upload(client, app1, doc["id"])
    doc = complete(client, rev, first["id"], doc["version"], decision="forward").get_json()
    assert "credit_report_checked" in [e["kind"] for e in doc["events"]]
    assert department_decides(client, doc, "approve").get_json()["outcome"] == "approved"


def test_no_credit_report_is_asked_where_the_regime_does_not_require_one(client, make_record):
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    rev = token_for(client, "reviewer1")
    doc = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="forward").get_json()
    assert "credit_report_checked" not in [e["kind"] for e in doc["events"]]


def test_the_portal_supplement_takes_the_credit_report(client, clock, make_record, store):
    from tests.support.web import login
    clock.set("2023-10-09T10:00:00+08:00")
    record_id = make_record("2023-03-01", severity="serious")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id], training_certificate_no=_certificate(store, clock)).get_json()
    doc = complete(client, rev, open_task(doc, "review")["id"], doc["version"], decision="supplement",
                   reason="缺少信用报告", supplement_items=["信用报告"]).get_json()
    login(client, "applicant1")
    page = client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)
    assert 'name="report_files"' in page
    form = {"task_id": open_task(doc, "supplement")["id"], "version": str(doc["version"]), "rectification": "已补交",
            "report_files": [(io.BytesIO(pdf_bytes()), "信用报告.pdf")]}
    assert client.post(f"/portal/cases/{doc['id']}/supplement", data=form,
                       content_type="multipart/form-data").status_code == 302
    doc = client.get(f"/api/v1/cases/{doc['id']}", headers=bearer(token_for(client, "reviewer1"))).get_json()
    done = complete(client, token_for(client, "reviewer1"), open_task(doc, "review")["id"], doc["version"],
                    decision="approve").get_json()
    assert done["outcome"] == "approved"
