"""Letters over HTTP: case letters, identical downloads, who may download, verify page, preview."""
from __future__ import annotations

import io

import pypdf
import pytest
from sqlalchemy import func, select

from workflows.core.models.letters import Letter, Sequence

from tests.support.flow_kinds import DATA_DIR
from tests.support.letters import context_for, drain_app_letters
from tests.support.subjects import COMPANY as SUBJECT
from tests.support.web import headers


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def issue(client, case_id, auth, **kw):
    return client.post(f"/api/v1/cases/{case_id}/letters", headers=auth,
                       json={"type": "acceptance", "context": context_for(**kw)})


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_issue_on_case_then_download_identical_bytes(client, case):
    rev = headers(client, "reviewer1")
    made = issue(client, case.id, rev)
    assert made.status_code == 201, made.get_json()
    letter = made.get_json()
    assert letter["number"] == "泉信用受〔2026〕1号" and letter["url"] == f"/api/v1/letters/{letter['id']}.pdf"
    assert (letter["status"], letter["state"], letter["sha256"]) == ("pending", "pending", None)  # rendered after
    waiting = client.get(letter["url"], headers=rev)
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "2"
    assert waiting.get_json()["status"] == "pending" and letter["number"] in waiting.get_json()["message"]
    drain_app_letters(client)
    letter = client.get(f"/api/v1/letters/{letter['id']}", headers=rev).get_json()
    assert letter["status"] == "issued" and len(letter["sha256"]) == 64
    first = client.get(letter["url"], headers=rev)
    second = client.get(letter["url"], headers=headers(client, "applicant1"))
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == second.data and first.headers["ETag"].strip('"') == letter["sha256"]
    assert "受理通知书" in text_of(first.data) and "泉州市清源食品有限公司" in text_of(first.data)
    case_doc = client.get(f"/api/v1/cases/{case.id}", headers=rev).get_json()
    assert [l["number"] for l in case_doc["letters"]] == [letter["number"]]
    assert "letter_issued" in [e["kind"] for e in case_doc["events"]]


def test_other_subject_cannot_download(client, case):
    letter = issue(client, case.id, headers(client, "reviewer1")).get_json()
    denied = client.get(letter["url"], headers=headers(client, "applicant2"))
    assert denied.status_code == 404 and denied.get_json()["error"] == "not_found"
    assert client.get(letter["url"]).status_code == 401


def test_bad_letter_input_takes_no_number(client, case, store):
    rev = headers(client, "reviewer1")
    bad = client.post(f"/api/v1/cases/{case.id}/letters", headers=rev,
                      json={"type": "acceptance", "context": {"subject": {"code": SUBJECT}}})
    assert bad.status_code == 400 and any(k.startswith("subject.name") for k in bad.get_json()["fields"])
    unknown = client.post(f"/api/v1/cases/{case.id}/letters", headers=rev, json={"type": "x", "context": {}})
    assert unknown.status_code == 400
    applicant = client.post(f"/api/v1/cases/{case.id}/letters", headers=headers(client, "applicant1"),
                            json={"type": "acceptance", "context": context_for()})
    assert applicant.status_code == 403
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Letter)) == 0
        assert session.scalar(select(func.count()).select_from(Sequence)) == 0


def test_verify_page(client, case, store):
    rev = headers(client, "reviewer1")
    letter = issue(client, case.id, rev).get_json()
    with store.read() as session:
        code = session.get(Letter, letter["id"]).verification_code
    pending = client.get("/letters/verify", query_string={"no": letter["number"], "code": code}).get_data(as_text=True)
    assert "文书真实有效" in pending and "生成中" in pending  # genuine as soon as numbered; its hash follows
    drain_app_letters(client)
    letter = client.get(f"/api/v1/letters/{letter['id']}", headers=rev).get_json()
    ok = client.get("/letters/verify", query_string={"no": letter["number"], "code": code.lower()})
    page = ok.get_data(as_text=True)
    assert ok.status_code == 200 and "文书真实有效" in page and letter["number"] in page
    assert "已生成并存档" in page and letter["sha256"] not in page  # the public reads words, not a hash
    for wrong in ({"no": letter["number"], "code": "AAAA-BBBB-CCCC"}, {"no": "泉信用受〔2026〕9号", "code": code}):
        page = client.get("/letters/verify", query_string=wrong).get_data(as_text=True)
        assert "未找到" in page and "文书真实有效" not in page and "泉州市清源食品有限公司" not in page


def test_verify_page_masks_a_person(client, case, store, clock):
    from workflows.people.subjects import register_subject
    person = "35050219900101123X"
    with store.write() as uow:
        register_subject(uow.session, person, "张三丰", clock.now())
        uow.commit()
    letter = issue(client, case.id, headers(client, "reviewer1"), subject_code=person, name="张三丰").get_json()
    with store.read() as session:
        code = session.get(Letter, letter["id"]).verification_code
    page = client.get("/letters/verify", query_string={"no": letter["number"], "code": code}).get_data(as_text=True)
    assert "张**" in page and "张三丰" not in page and person not in page


def test_preview_takes_no_number(client, case, store):
    rev = headers(client, "reviewer1")
    preview = client.post("/api/v1/letters/preview", headers=rev, json={"type": "acceptance", "context": context_for()})
    assert preview.status_code == 200 and "样稿" in text_of(preview.data)
    assert client.post("/api/v1/letters/preview", headers=headers(client, "applicant1"),
                       json={"type": "acceptance", "context": context_for()}).status_code == 403
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Sequence)) == 0


def test_reissue_via_api(client, case):
    rev = headers(client, "reviewer1")
    old = issue(client, case.id, rev).get_json()
    new = client.post(f"/api/v1/letters/{old['id']}/reissue", headers=rev,
                      json={"changes": {"review_due_date": "2026-11-24"}})
    assert new.status_code == 201 and new.get_json()["supersedes_id"] == old["id"]
    again = client.post(f"/api/v1/letters/{old['id']}/reissue", headers=rev, json={"changes": {}})
    assert again.status_code == 409


def test_a_failed_rendering_is_shown_to_admins_and_retried(client, case, store, clock, monkeypatch):
    from workflows.archive import rendering
    from workflows.people.users import create_user
    from tests.support.web import PASSWORD, login
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    letter = issue(client, case.id, headers(client, "reviewer1")).get_json()
    real = rendering.default_renderer

    class Broken:
        def render(self, *_args):
            raise OSError("磁盘已满")

    monkeypatch.setattr(rendering, "default_renderer", lambda: Broken())
    assert drain_app_letters(client) == 0
    admin = headers(client, "admin1")
    state = client.get("/api/v1/admin/letters/rendering", headers=admin).get_json()
    assert (state["pending"], state["failing"]) == (1, 1)
    item = state["items"][0]
    assert (item["number"], item["render_attempts"]) == (letter["number"], 1) and "磁盘已满" in item["render_error"]
    assert client.get("/api/v1/admin/letters/rendering", headers=headers(client, "reviewer1")).status_code == 403
    assert client.get(letter["url"], headers=admin).status_code == 202  # never lost: still pending
    case_doc = client.get(f"/api/v1/cases/{case.id}", headers=admin).get_json()
    assert "letter_render_failed" in [e["kind"] for e in case_doc["events"]]
    login(client, "admin1")
    page = client.get("/admin/letters").get_data(as_text=True)
    assert letter["number"] in page and "磁盘已满" in page and "文书生成情况" in page
    monkeypatch.setattr(rendering, "default_renderer", real)
    clock.advance(seconds=31)  # the retry is due
    assert drain_app_letters(client) == 1
    assert client.get("/api/v1/admin/letters/rendering", headers=admin).get_json()["pending"] == 0
    assert client.get(letter["url"], headers=admin).status_code == 200


def test_an_admin_retries_a_failed_letter_at_once_and_is_audited(client, case, store, clock, monkeypatch):
    from workflows.archive import rendering
    from workflows.people.users import create_user
    from tests.support.web import PASSWORD, login
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        create_user(uow.session, "auditor1", PASSWORD, ["auditor"], clock.now())
        uow.commit()
    letter = issue(client, case.id, headers(client, "reviewer1")).get_json()
    real = rendering.default_renderer

    class Broken:
        def render(self, *_args):
            raise OSError("字体目录不可读")

    monkeypatch.setattr(rendering, "default_renderer", lambda: Broken())
    assert drain_app_letters(client) == 0
    monkeypatch.setattr(rendering, "default_renderer", real)  # the cause is fixed
    assert rendering.due_letters(store, clock.now()) == []  # backed off: next attempt in 30 s
    admin, url = headers(client, "admin1"), f"/api/v1/admin/letters/{letter['id']}/retry"
    assert client.post(url, headers=headers(client, "auditor1")).status_code == 403  # watches, does not act
    assert client.post(url, headers=headers(client, "reviewer1")).status_code == 403
    assert client.post("/api/v1/admin/letters/999999/retry", headers=admin).status_code == 404
    login(client, "admin1")
    page = client.get("/admin/letters").get_data(as_text=True)
    assert "立即重试" in page
    done = client.post(f"/admin/letters/{letter['id']}/retry", follow_redirects=True)
    assert done.status_code == 200 and "将立即重新生成" in done.get_data(as_text=True)
    assert rendering.due_letters(store, clock.now()) == [letter["id"]]  # due now, no waiting
    assert rendering.sweep_letters(store, clock.now())["letters_rendered"] == 1
    assert client.get(letter["url"], headers=admin).status_code == 200
    again = client.post(url, headers=admin)
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    events = client.get(f"/api/v1/cases/{case.id}", headers=admin).get_json()["events"]
    retried = [e for e in events if e["kind"] == "letter_render_retried"]
    assert len(retried) == 1 and retried[0]["actor"] == "admin1"


def test_retry_without_csrf_token_changes_nothing(app, case, store, clock):
    from workflows.people.users import create_user
    from tests.support.web import PASSWORD
    app.config["WTF_CSRF_ENABLED"] = True
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    client = app.test_client()
    letter = issue(client, case.id, headers(client, "reviewer1")).get_json()
    client.post("/login", data={"username": "admin1", "password": PASSWORD})
    answer = client.post(f"/admin/letters/{letter['id']}/retry")
    assert answer.status_code == 400
    events = client.get(f"/api/v1/cases/{case.id}", headers=headers(client, "admin1")).get_json()["events"]
    assert "letter_render_retried" not in [e["kind"] for e in events]
