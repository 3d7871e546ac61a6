"""Binding requests (issue 12): an account proves it may act for a subject; the credit office
reviews; holders are told and manage their agents (SQLite and PostgreSQL).

`agent1` (`newcomer`) is bound to nothing; `applicant1` holds SUBJECT_A (an administrator's
grant), `applicant2` holds SUBJECT_B; reviewer1 works the credit office's review.
"""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from tests.support.bindings import (
    AGENT_UNTIL,
    binding_cases,
    binding_form,
    file_request,
    open_step,
)
from tests.support.files import pdf_bytes
from tests.support.portal import NAMES, PERSON, SUBJECT_A, SUBJECT_B, logged_in, page
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import CaseEvent, Notification
from workflows.core.models.people import Subject, SubjectBinding, User

NAME_A = NAMES[SUBJECT_A]


def decide(app, store, case_id: int, decision: str, reason: str = "", items: str = "") -> object:
    """The reviewer's decision through the desk form, as a browser posts it."""
    task = open_step(store, case_id, "review")
    desk = logged_in(app, "reviewer1")
    return desk.post(f"/desk/tasks/{task.id}/complete", data={
        "decision": decision, "reason": reason, "supplement_items": items, "version": _version(store, case_id),
        "case_id": case_id})


def _version(store, case_id: int) -> int:
    return next(c.version for c in binding_cases(store) if c.id == case_id)


def notices(store, username: str) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(Notification.message).where(Notification.username == username)
                                    .order_by(Notification.id)))


def bindings_of(store, username: str) -> list[SubjectBinding]:
    with store.read() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return list(session.scalars(select(SubjectBinding).where(SubjectBinding.user_id == user.id)))


def sees_subject(client, code: str = SUBJECT_A) -> bool:
    """Reads the subject's records page and its 逢办必查 answer."""
    home = client.get("/portal/")
    check = client.get(f"/api/v1/check/{code}")
    return home.status_code == 200 and NAMES[code] in page(home) and check.status_code == 200


# -- an account bound to nothing -------------------------------------------------------------

def test_an_unbound_account_lands_on_my_subjects_and_sees_no_subject(app, newcomer, make_portal_record):
    make_portal_record("2026-05-10")
    client = logged_in(app, newcomer)
    for path in ("/portal/", "/portal/repair/new", "/portal/objection/new", "/portal/commitments"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/portal/subjects", path
    html = page(client.get("/portal/subjects"))
    assert 'id="no-bindings"' in html and "/portal/bindings/new" in html and NAME_A not in html
    assert client.get(f"/api/v1/check/{SUBJECT_A}").status_code == 403
    assert not sees_subject(client)


# -- filing refusals -------------------------------------------------------------------------

@pytest.mark.parametrize("changes, status, message", [
    ({"subject_code": "91350100M000100Y44"}, 400, "校验位不符"),
    ({"subject_name": "泉州市别的公司"}, 400, "主体名称与已登记的名称不一致"),
    ({"licence": False}, 400, "请上传营业执照"),
    ({"authorisation": False}, 400, "请上传授权委托书"),
    ({"agent_id": False}, 400, "请上传代理人身份证件"),
    ({"until": ""}, 400, "请填写授权委托书的授权截止日期"),
    ({"until": "2026-09-30"}, 400, "授权截止日期须晚于今天"),
    ({"until": "2030-01-01"}, 400, "授权期限最长3年"),
    ({"subject_name": "名" * 201}, 400, "200"),
    ({"licence_files": b"MZ not a pdf"}, 400, "仅支持 PDF、JPEG、PNG 文件"),
])
def test_a_bad_request_is_refused_and_stores_nothing(app, store, newcomer, changes, status, message):
    client = logged_in(app, newcomer)
    form = binding_form(SUBJECT_A, NAME_A, **{k: v for k, v in changes.items() if k in
                                             ("licence", "authorisation", "agent_id", "until")})
    form.update({k: v for k, v in changes.items() if k not in ("licence", "authorisation", "agent_id", "until")})
    if isinstance(form.get("licence_files"), bytes):  # fresh per run: a stream is read once
        form["licence_files"] = (io.BytesIO(form["licence_files"]), "营业执照.pdf")
    response = client.post("/portal/bindings/new", data=form, content_type="multipart/form-data")
    assert response.status_code == status and message in page(response), page(response)[:3000]
    assert binding_cases(store) == []
    with store.read() as session:
        assert session.scalars(select(Attachment)).all() == []


def test_one_pending_request_per_account_and_subject(app, store, newcomer):
    client = logged_in(app, newcomer)
    first = file_request(client, SUBJECT_A, "泉州市清源食品有限公司(普通合伙)")  # half-width brackets: the same name
    response = client.post("/portal/bindings/new", data=binding_form(SUBJECT_A, NAME_A),
                           content_type="multipart/form-data")
    assert response.status_code == 409 and f"案件 #{first}" in page(response)
    assert [c.id for c in binding_cases(store)] == [first]


def test_an_account_already_bound_is_told_so(app, store, portal_world):
    client = logged_in(app, "applicant1")  # the holder of SUBJECT_A
    response = client.post("/portal/bindings/new", data=binding_form(SUBJECT_A, NAME_A, "holder", until=None),
                           content_type="multipart/form-data")
    assert response.status_code == 409 and "已作为法定代表人/本人绑定该主体" in page(response)
    assert binding_cases(store) == []


# -- filed: who hears of it, who sees it ----------------------------------------------------

def test_filing_tells_the_holders_and_only_the_filer_follows_it(app, store, newcomer):
    client = logged_in(app, newcomer)
    case_id = file_request(client, SUBJECT_A, NAME_A)
    [case] = binding_cases(store)
    assert (case.created_by, case.subject_code, case.status) == ("agent1", SUBJECT_A, "running")
    with store.read() as session:
        files = session.scalars(select(Attachment.purpose).where(Attachment.case_id == case_id)).all()
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
    assert sorted(files) == ["agent_id", "authorisation", "business_licence"]
    assert {"case_started", "attachment_added", "holders_notified", "task_created"} <= set(kinds)
    assert notices(store, "applicant1") == ["账号 agent1 申请绑定贵单位（代理人），如非本单位授权请联系信用办"]
    assert notices(store, "applicant2") == []

    mine = page(client.get(f"/portal/bindings/{case_id}"))
    assert "营业执照.pdf" in mine and "授权委托书.pdf" in mine and 'id="withdraw-form"' in mine
    assert f"/portal/bindings/{case_id}" in page(client.get("/portal/subjects"))
    assert not sees_subject(client)  # nothing of the subject before approval
    assert client.get(f"/api/v1/cases/{case_id}").status_code == 200

    other = logged_in(app, "applicant2")
    assert other.get(f"/portal/bindings/{case_id}").status_code == 404
    assert other.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert other.post(f"/portal/bindings/{case_id}/withdraw").status_code == 404
    with store.read() as session:
        attachment = session.scalars(select(Attachment.id).where(Attachment.case_id == case_id)).first()
    assert other.get(f"/api/v1/attachments/{attachment}").status_code == 404

    holder = logged_in(app, "applicant1")
    summary = page(holder.get(f"/portal/bindings/{case_id}"))
    assert "赵代理" in summary and "委托代理人" in summary and "营业执照.pdf" not in summary
    assert 'id="holder-note"' in summary and 'id="withdraw-form"' not in summary
    assert holder.get(f"/portal/cases/{case_id}").status_code == 404  # not among the subject's cases
    assert holder.get(f"/api/v1/attachments/{attachment}").status_code == 404  # the agent's ID stays private
    managed = page(holder.get("/portal/subjects"))
    assert 'id="authorisations"' in managed and f"/portal/bindings/{case_id}" in managed
    assert holder.post(f"/portal/bindings/{case_id}/withdraw").status_code == 404


# -- the review --------------------------------------------------------------------------------

def test_approval_binds_the_filer_who_then_sees_the_subject(app, store, newcomer, make_portal_record):
    make_portal_record("2026-05-10")
    client = logged_in(app, newcomer)
    case_id = file_request(client, SUBJECT_A, NAME_A)
    desk = page(logged_in(app, "reviewer1").get(f"/desk/cases/{case_id}"))
    assert NAME_A in desk and "applicant1" in desk and "营业执照.pdf" in desk and 'id="decision-approve"' in desk
    assert "委托代理人" in desk and AGENT_UNTIL in desk and "未关联信用记录" not in desk and "h5 mt-4\">信用记录" not in desk
    assert decide(app, store, case_id, "approve").status_code == 302
    [binding] = bindings_of(store, "agent1")
    assert (binding.subject_code, binding.relation, binding.source, binding.case_id, binding.valid_until,
            binding.granted_by) == (SUBJECT_A, "agent", "review", case_id, date.fromisoformat(AGENT_UNTIL), "reviewer1")
    assert binding_cases(store)[0].outcome == "bound"
    assert "您的主体绑定申请已通过审核" in notices(store, "agent1")[-1]
    assert sees_subject(client)
    assert "泉市监罚〔2026〕0510号" in page(client.get("/portal/"))
    with store.read() as session:
        assert session.scalars(select(CaseEvent).where(CaseEvent.kind == "binding_granted",
                                                       CaseEvent.case_id == case_id)).one().actor == "reviewer1"


def test_rejection_needs_a_reason_binds_nothing_and_tells_the_filer(app, store, newcomer):
    client = logged_in(app, newcomer)
    case_id = file_request(client, SUBJECT_A, NAME_A)
    decide(app, store, case_id, "reject")  # no reason: refused, the task stays open
    assert open_step(store, case_id, "review") is not None
    decide(app, store, case_id, "reject", "授权委托书未加盖公章")
    assert open_step(store, case_id, "review") is None and bindings_of(store, "agent1") == []
    assert binding_cases(store)[0].outcome == "not_bound"
    assert notices(store, "agent1")[-1] == "您的主体绑定申请未通过审核：授权委托书未加盖公章"
    assert not sees_subject(client)
    assert "不予绑定" in page(client.get(f"/portal/bindings/{case_id}"))


def test_a_supplement_goes_back_to_review(app, store, newcomer):
    client = logged_in(app, newcomer)
    case_id = file_request(client, SUBJECT_A, NAME_A)
    decide(app, store, case_id, "supplement", "授权委托书不清晰", "重新上传清晰的授权委托书")
    step = open_step(store, case_id, "supplement")
    assert step is not None and step.lane == "filer"
    assert "请于" in notices(store, "agent1")[-1] and "重新上传清晰的授权委托书" in notices(store, "agent1")[-1]
    html = page(client.get(f"/portal/bindings/{case_id}"))
    assert "重新上传清晰的授权委托书" in html and 'id="supplement"' in html
    other = logged_in(app, "applicant1")
    assert "action=\"/portal/bindings" not in page(other.get(f"/portal/bindings/{case_id}"))
    response = client.post(f"/portal/bindings/{case_id}/supplement", data={
        "note": "已重新上传", "task_id": step.id, "version": str(_version(store, case_id)),
        "authorisation_files": (io.BytesIO(pdf_bytes()), "授权委托书-清晰.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, page(response)
    assert open_step(store, case_id, "supplement") is None and open_step(store, case_id, "review") is not None
    with store.read() as session:
        names = session.scalars(select(Attachment.filename).where(Attachment.case_id == case_id)).all()
    assert "授权委托书-清晰.pdf" in names
    decide(app, store, case_id, "approve")
    assert [b.case_id for b in bindings_of(store, "agent1")] == [case_id]


def test_the_filer_withdraws(app, store, newcomer):
    client = logged_in(app, newcomer)
    case_id = file_request(client, SUBJECT_A, NAME_A)
    assert client.post(f"/portal/bindings/{case_id}/withdraw").status_code == 302
    [case] = binding_cases(store)
    assert (case.status, case.outcome) == ("completed", "withdrawn")
    assert open_step(store, case_id, "review") is None and bindings_of(store, "agent1") == []
    file_request(client, SUBJECT_A, NAME_A)  # nothing pending any more: may ask again


def test_a_new_subject_is_registered_on_approval_not_before(app, store, newcomer):
    client = logged_in(app, newcomer)
    response = client.post("/portal/bindings/new", data=binding_form(PERSON, "张三", "holder", until=None),
                           content_type="multipart/form-data")
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with store.read() as session:
        assert session.get(Subject, PERSON) is None
        assert session.scalars(select(Attachment.purpose).where(Attachment.case_id == case_id)).all() == ["id_card"]
    decide(app, store, case_id, "approve")
    with store.read() as session:
        assert session.get(Subject, PERSON).name == "张三"
    [binding] = bindings_of(store, "agent1")
    assert (binding.relation, binding.valid_until) == ("holder", None)


# -- after approval: the holder revokes, the authorisation ends ------------------------------

def test_a_holder_revokes_the_agent_who_stops_seeing_the_subject_at_once(app, store, newcomer):
    agent = logged_in(app, newcomer)
    decide(app, store, file_request(agent, SUBJECT_A, NAME_A), "approve")
    assert sees_subject(agent)
    [binding] = bindings_of(store, "agent1")
    stranger = logged_in(app, "applicant2")
    assert stranger.post(f"/portal/bindings/revoke/{binding.id}", data={"reason": "x"}).status_code == 404
    holder = logged_in(app, "applicant1")
    managed = page(holder.get("/portal/subjects"))
    assert 'data-bound="agent1"' in managed and f"/portal/bindings/revoke/{binding.id}" in managed
    assert holder.post(f"/portal/bindings/revoke/{binding.id}", data={"reason": "委托已终止"}).status_code == 302
    assert not sees_subject(agent)
    assert agent.get("/portal/").headers["Location"] == "/portal/subjects"
    assert "委托已终止" in notices(store, "agent1")[-1]


def test_an_agent_sees_nothing_after_the_authorisation_ends(app, store, clock, newcomer):
    agent = logged_in(app, newcomer)
    decide(app, store, file_request(agent, SUBJECT_A, NAME_A, until="2026-10-09"), "approve")
    clock.advance(days=9)  # 2026-10-09, the last day, still counts
    assert sees_subject(agent)
    clock.advance(days=1)
    assert not sees_subject(agent)
    assert 'id="no-bindings"' in page(agent.get("/portal/subjects"))


def test_an_agency_switches_between_its_subjects(app, store, newcomer):
    agent = logged_in(app, newcomer)
    decide(app, store, file_request(agent, SUBJECT_A, NAME_A), "approve")
    decide(app, store, file_request(agent, SUBJECT_B, NAMES[SUBJECT_B]), "approve")
    html = page(agent.get("/portal/subjects"))
    assert html.count("switch-subject") == 1
    assert agent.post("/portal/subjects/switch", data={"subject_code": SUBJECT_B}).status_code == 302
    assert sees_subject(agent, SUBJECT_B) and agent.get(f"/api/v1/check/{SUBJECT_A}").status_code == 403
    assert agent.post("/portal/subjects/switch", data={"subject_code": PERSON}).status_code == 302
    assert sees_subject(agent, SUBJECT_B)
