"""Materials of a repair: the checklist from DMN `repair_documents`, files checked before the case
exists (a refused file files nothing and keeps the input), and material added while the case is
open — in the portal and through the API, audited, on the reviewer's timeline."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.support.files import pdf_bytes, png_bytes
from tests.support.portal import ask_for_supplement, file_by_form, logged_in, page, repair_form
from tests.support.web import bearer, login, token_for
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case, CaseEvent

MULTIPART = "multipart/form-data"


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _materials(html: str) -> dict[str, str]:
    """Checklist key -> its badge (必需 / 如适用)."""
    return dict(re.findall(r'data-material="(\w+)"><span class="badge [\w-]+">([^<]+)</span>', html))


def test_the_checklist_follows_the_records_regime_and_severity(client, clock, make_portal_record):
    make_portal_record("2026-05-10")
    login(client, "applicant1")
    today = _materials(page(client.get("/portal/repair/new")))
    assert today == {"commitment": "必需", "proof": "必需", "training_certificate": "如适用", "credit_report": "如适用"}
    clock.set("2023-10-09T10:00:00+08:00")  # a serious record under 527: training and report needed
    make_portal_record("2023-03-01", severity="serious")
    under_527 = _materials(page(client.get("/portal/repair/new")))
    assert under_527["training_certificate"] == "必需" and under_527["credit_report"] == "必需"


def test_a_refused_file_files_nothing_and_keeps_the_input(client, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    data = repair_form([record], reason="罚款已于九月缴清")
    data["proof_files"] = [(io.BytesIO(pdf_bytes()), "缴款凭证.pdf")]
    data["report_files"] = [(io.BytesIO(b"%PDF-1.7 cut off"), "信用报告.pdf")]
    refused = client.post("/portal/repair/new", data=data, content_type=MULTIPART)
    html = page(refused)
    assert refused.status_code == 400
    assert re.search(r'id="report_files"[^>]*>\s*<div class="invalid-feedback[^"]*">“信用报告.pdf”未被接受', html)
    assert "罚款已于九月缴清</textarea>" in html and f'value="{record}" id="record-{record}" checked' in html
    assert (_count(store, Case), _count(store, Attachment)) == (0, 0)


def test_material_is_added_while_open_and_during_supplement(app, client, runtime, store, make_portal_record):
    login(client, "applicant1")
    case_id = file_by_form(client, make_portal_record("2026-05-10"))
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert 'id="add-material"' in html
    added = client.post(f"/portal/cases/{case_id}/material", content_type=MULTIPART, data={
        "purpose": "rectification", "files": [(io.BytesIO(png_bytes()), "整改照片.png")]})
    assert added.status_code == 302
    bad = client.post(f"/portal/cases/{case_id}/material", content_type=MULTIPART, data={
        "purpose": "proof", "files": [(io.BytesIO(pdf_bytes()), "收据.pdf"), (io.BytesIO(b"MZ"), "tool.exe")]})
    assert bad.status_code == 400 and "“tool.exe”未被接受" in page(bad)
    ask_for_supplement(runtime, case_id)
    during = client.post(f"/portal/cases/{case_id}/material", content_type=MULTIPART, data={
        "purpose": "proof", "files": [(io.BytesIO(pdf_bytes()), "缴款凭证.pdf")]})
    assert during.status_code == 302
    with store.read() as session:
        assert session.scalars(select(Attachment.filename).order_by(Attachment.uploaded_at, Attachment.filename)).all() \
            == ["整改照片.png", "缴款凭证.pdf"]  # nothing of the refused pair
        events = session.scalars(select(CaseEvent.summary).where(CaseEvent.kind == "attachment_added")).all()
    assert len(events) == 2
    reviewer = logged_in(app, "reviewer1")
    desk = page(reviewer.get(f"/desk/cases/{case_id}"))
    assert "整改照片.png" in desk and "缴款凭证.pdf" in desk and "上传附件“缴款凭证.pdf”" in desk


def test_the_api_adds_material_to_an_open_case_only(client, runtime, store, make_portal_record):
    login(client, "applicant1")
    case_id = file_by_form(client, make_portal_record("2026-05-10"))
    token = token_for(client, "applicant1")
    stored = client.post(f"/api/v1/cases/{case_id}/attachments", headers=bearer(token), content_type=MULTIPART,
                         data={"file": (io.BytesIO(pdf_bytes()), "补充说明.pdf"), "purpose": "other"})
    assert stored.status_code == 201 and stored.get_json()["purpose"] == "other"
    client.post(f"/portal/cases/{case_id}/withdraw")
    closed = client.post(f"/api/v1/cases/{case_id}/attachments", headers=bearer(token), content_type=MULTIPART,
                         data={"file": (io.BytesIO(pdf_bytes()), "迟交.pdf")})
    assert closed.status_code == 409
    assert 'id="add-material"' not in page(client.get(f"/portal/cases/{case_id}"))
    assert _count(store, Attachment) == 1


def test_a_refused_evidence_file_files_no_objection(client, store, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    refused = client.post("/portal/objection/new", content_type=MULTIPART, data={
        "record_ids": [str(record)], "target": "content", "claim": "罚款金额应为五千元", "evidence": "缴款凭证",
        "evidence_files": [(io.BytesIO(b"GIF89a"), "截图.gif")]})
    html = page(refused)
    assert refused.status_code == 400 and "“截图.gif”未被接受" in html and "罚款金额应为五千元</textarea>" in html
    assert (_count(store, Case), _count(store, Attachment)) == (0, 0)
