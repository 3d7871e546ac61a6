"""Applicant portal: filing a repair request, the case page, supplements and withdrawal."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.support.files import pdf_bytes
from tests.support.letters import drain_app_letters
from tests.support.portal import (
    ask_for_supplement,
    file_by_form,
    logged_in,
    open_task,
    page,
    repair_form,
)
from tests.support.web import login
from workflows.core.models.cases import Case
from workflows.core.models.attachments import Attachment
from workflows.records import get_record


def cases_count(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


def test_the_form_shows_my_public_records_and_the_full_commitment(client, make_portal_record):
    from workflows.kinds.repair.commitment_text import REPAIR_COMMITMENT_CLAUSES
    record = make_portal_record("2026-05-10")
    waiting = make_portal_record("2026-07-01")
    login(client, "applicant1")
    html = page(client.get(f"/portal/repair/new?record={record}"))
    assert f'value="{record}" id="record-{record}" checked' in html
    assert f'value="{waiting}" id="record-{waiting}" disabled' in html
    assert all(clause in html for clause in REPAIR_COMMITMENT_CLAUSES)
    assert "我已阅读并同意以上信用承诺" in html and "需提供信用修复培训证明编号和信用报告" not in html


def test_serious_records_under_527_ask_for_training_and_a_credit_report(client, clock, make_portal_record):
    clock.set("2023-10-09T10:00:00+08:00")
    make_portal_record("2023-03-01", severity="serious")         # 527: serious, min 6 months → 2023-09-01
    login(client, "applicant1")
    assert "需提供信用修复培训证明编号和信用报告" in page(client.get("/portal/repair/new"))


def test_filing_creates_an_accepted_case_with_letters_a_review_task_and_files(app, client, runtime, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    data = repair_form([record])
    data["proof_files"] = [(io.BytesIO(pdf_bytes()), "缴款凭证.pdf"), (io.BytesIO(b"MZ\x90\x00"), "virus.exe")]
    refused = client.post("/portal/repair/new", data=data, content_type="multipart/form-data")
    assert refused.status_code == 400 and cases_count(store) == 0  # a refused file files nothing
    assert "“virus.exe”未被接受：仅支持 PDF、JPEG、PNG 文件" in page(refused)
    data = repair_form([record])
    data["proof_files"] = [(io.BytesIO(pdf_bytes()), "缴款凭证.pdf")]
    response = client.post("/portal/repair/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    review = open_task(runtime, case_id, "first_review")
    assert review.lane == "reviewer" and review.due_at is not None
    reviewer = logged_in(app, "reviewer1")
    inbox = reviewer.get("/api/v1/tasks").get_json()["items"]
    assert [t["id"] for t in inbox] == [review.id]
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "受理通知书" in html and "信用承诺书" in html and "生成中" in html  # until the workers render them
    assert "缴款凭证.pdf" in html
    assert "审核中，办理时限至 2026-10-08 23:59" in html
    drain_app_letters(client)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "/api/v1/letters/" in html and "生成中" not in html
    with store.read() as session:
        assert session.scalars(select(Attachment.filename)).all() == ["缴款凭证.pdf"]
    letter = client.get(re.search(r'href="(/api/v1/letters/\d+\.pdf)"', html).group(1))
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"


def test_missing_commitment_is_refused_in_chinese_and_creates_nothing(client, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    response = client.post("/portal/repair/new", data=repair_form([record], commitment_accepted=None),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "须阅读并同意信用承诺书" in page(response)
    assert cases_count(store) == 0


def test_a_changed_commitment_text_must_be_read_again(client, store, make_portal_record):
    login(client, "applicant1")
    response = client.post("/portal/repair/new", data=repair_form([make_portal_record("2026-05-10")], commitment_digest="old"),
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "承诺书内容已更新" in page(response)
    assert cases_count(store) == 0


def test_another_subjects_record_cannot_be_chosen(client, store, make_portal_record):
    from tests.support.portal import SUBJECT_B
    foreign = make_portal_record("2026-05-11", subject=SUBJECT_B)
    login(client, "applicant1")
    response = client.post("/portal/repair/new", data=repair_form([foreign]), content_type="multipart/form-data")
    assert response.status_code == 400 and "不属于该主体" in page(response)
    assert cases_count(store) == 0


def test_an_ineligible_request_ends_with_a_refusal_letter(client, make_portal_record):
    login(client, "applicant1")
    case_id = file_by_form(client, make_portal_record("2026-07-01"))
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "不予受理" in html and "不予受理通知书" in html and "withdraw-form" not in html


def test_other_applicants_get_404(app, client, runtime, make_portal_record):
    login(client, "applicant1")
    case_id = file_by_form(client, make_portal_record("2026-05-10"))
    other = logged_in(app, "applicant2")
    assert other.get(f"/portal/cases/{case_id}").status_code == 404
    assert other.post(f"/portal/cases/{case_id}/withdraw").status_code == 404
    assert other.post(f"/portal/cases/{case_id}/supplement", data={"rectification": "x"}).status_code == 404
    assert open_task(runtime, case_id, "first_review") is not None  # nothing changed


def test_supplement_answered_in_the_portal_returns_to_review(client, runtime, store, clock, make_portal_record):
    login(client, "applicant1")
    case_id = file_by_form(client, make_portal_record("2026-05-10"))
    ask_for_supplement(runtime, case_id)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "请于 2026-10-13 23:59 前补正材料" in html and "罚款缴纳凭证" in html
    task = open_task(runtime, case_id, "supplement")
    with store.read() as session:
        version = session.get(Case, case_id).version

    def answer(**changes):
        form = {"task_id": task.id, "version": str(version), "rectification": "已补交缴款凭证", "note": "见附件",
                "files": [(io.BytesIO(pdf_bytes()), "缴款凭证.pdf")], **changes}
        return client.post(f"/portal/cases/{case_id}/supplement", data=form, content_type="multipart/form-data")

    stale = answer(version=str(version - 1))
    assert stale.status_code == 409 and "请刷新后重试" in page(stale)
    empty = answer(rectification="")
    assert empty.status_code == 400 and "请说明补正情况" in page(empty)
    assert open_task(runtime, case_id, "supplement") is not None
    clock.set("2026-10-09T15:00:00+08:00")
    assert answer().status_code == 302
    assert open_task(runtime, case_id, "supplement") is None
    assert open_task(runtime, case_id, "first_review").due_at is not None
    with store.read() as session:
        assert session.scalars(select(Attachment.purpose)).all() == ["rectification"]
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "完成任务“申请人补正材料”" in html and "审核中，办理时限至 2026-10-10 23:59" in html


def test_withdrawal_closes_the_case_and_keeps_the_record_public(client, runtime, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    case_id = file_by_form(client, record)
    assert "withdraw-form" in page(client.get(f"/portal/cases/{case_id}"))
    assert client.post(f"/portal/cases/{case_id}/withdraw").status_code == 302
    with store.read() as session:
        case = session.get(Case, case_id)
        assert (case.status, case.outcome) == ("completed", "withdrawn")
        assert get_record(session, record).publicity_status == "public"
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "已撤回" in html and "withdraw-form" not in html
    again = client.post(f"/portal/cases/{case_id}/withdraw", follow_redirects=True)
    assert "案件已办结" in page(again)
    assert f"/portal/repair/new?record={record}" in page(client.get("/portal/"))  # may ask again
