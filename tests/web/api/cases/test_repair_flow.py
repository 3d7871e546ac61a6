"""Credit repair end to end over HTTP, on SQLite and PostgreSQL, with a frozen clock."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from workflows.core.models.cases import Case, CaseEvent, Notification, OutboxEvent
from workflows.archive.rendering import render_letter
from workflows.people.users import create_user

from tests.support.api_cases import (SUBJECT_A, SUBJECT_B, case_of, complete, department_decides, file_request,
                                     forward, letter_text, open_task, record_doc, repair_decided)
from tests.support.letters import drain_app_letters
from tests.support.web import PASSWORD, bearer, token_for


def test_approve_path_repairs_the_record(client, clock, make_record, store):
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    assert client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(rev)).get_json()["active_measures"]
    filed = file_request(client, app1, [record_id])
    assert filed.status_code == 201, filed.get_json()
    doc = filed.get_json()
    review = open_task(doc, "first_review")
    assert review["due_at"] == "2026-10-08T23:59:59+08:00"  # 1 working day after 09-30 (National Day)
    assert {l["type"] for l in doc["letters"]} == {"acceptance", "commitment"}
    commitment = next(l for l in doc["letters"] if l["type"] == "commitment")
    assert len(commitment["number"]) == 20 and commitment["number"].startswith("35050020260930")
    assert "信用承诺书" in letter_text(client, app1, commitment)
    claimed = client.post(f"/api/v1/tasks/{review['id']}/claim", headers=bearer(rev)).get_json()
    forwarded = complete(client, rev, review["id"], claimed["version"], decision="forward").get_json()
    done = department_decides(client, forwarded, "approve")
    assert done.status_code == 200, done.get_json()
    doc = done.get_json()
    assert (doc["status"], doc["outcome"]) == ("completed", "approved")
    record = record_doc(client, rev, record_id)
    assert record["publicity_status"] == "stopped"
    assert {m["state"] for m in record["measures"]} == {"terminated"}
    check = client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(rev)).get_json()
    assert check["active_measures"] == [] and check["suspended_measures"] == []
    decision = next(l for l in doc["letters"] if l["type"] == "repair_decision")
    text = letter_text(client, app1, decision)
    assert "信用修复决定书" in text and decision["number"] in text and "泉州市清源食品有限公司" in text
    with store.read() as session:
        shared = session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "repair_approved")).one()
    assert shared.payload["records"][0]["record_id"] == record_id


def test_reject_needs_a_reason_and_issues_refusal(client, make_record):
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = forward(client, file_request(client, app1, [record_id]).get_json(), rev)
    missing = department_decides(client, doc, "reject")
    assert missing.status_code == 400 and "reason" in missing.get_json()["fields"]
    done = department_decides(client, doc, "reject", reason="整改材料不实").get_json()
    assert done["outcome"] == "rejected"
    refusal = next(l for l in done["letters"] if l["type"] == "repair_refusal")
    assert "不予修复决定书" in letter_text(client, app1, refusal) and "整改材料不实" in letter_text(client, app1, refusal)
    assert record_doc(client, rev, record_id)["publicity_status"] == "public"


@pytest.mark.parametrize("decided, severity, today, earliest", [
    ("2023-03-01", "serious", "2023-06-01T10:00:00+08:00", "2023-09-01"),  # 527: serious min 6 months
    ("2024-01-10", "general", "2024-03-01T10:00:00+08:00", "2024-04-10"),  # Order 58: general min 3 months
    ("2025-08-01", "serious", "2026-01-05T10:00:00+08:00", "2026-08-01"),  # 22号: serious min 1 year
    ("2026-07-01", "general", "2026-09-30T10:00:00+08:00", "2026-10-01"),  # Order 36: general min 3 months
])
def test_ineligible_before_minimum_period_under_each_regime(client, clock, make_record, decided, severity, today, earliest):
    clock.set(today)
    record_id = make_record(decided, severity=severity)
    app1 = token_for(client, "applicant1")
    doc = file_request(client, app1, [record_id], training_certificate_no="PX-1").get_json()
    assert (doc["status"], doc["outcome"]) == ("completed", "not_accepted")
    assert not [t for t in doc["tasks"] if t["state"] == "ready"]
    refusal = next(l for l in doc["letters"] if l["type"] == "repair_refusal")
    text = letter_text(client, app1, refusal)
    y, m, d = (int(x) for x in earliest.split("-"))
    assert "不予受理" in text and "最短公示期" in text and f"{y}年{m}月{d}日" in text


def test_supplement_answered_returns_to_review_with_fresh_deadline(client, clock, make_record):
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id]).get_json()
    doc = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="supplement",
                   reason="缺少罚款缴纳凭证", supplement_items=["罚款缴纳凭证"]).get_json()
    supplement = open_task(doc, "supplement")
    assert supplement["lane"] == "applicant" and supplement["due_at"] == "2026-10-13T23:59:59+08:00"
    letter = next(l for l in doc["letters"] if l["type"] == "supplement_request")
    assert "补正通知书" in letter_text(client, app1, letter) and "罚款缴纳凭证" in letter_text(client, app1, letter)
    assert complete(client, token_for(client, "applicant2"), supplement["id"], doc["version"],
                    rectification="x").status_code == 403
    clock.set("2026-10-09T15:00:00+08:00")
    app1 = token_for(client, "applicant1")  # tokens last hours, not days
    doc = complete(client, app1, supplement["id"], doc["version"], rectification="已补交缴款凭证").get_json()
    review = open_task(doc, "first_review")
    assert review["due_at"] == "2026-10-10T23:59:59+08:00"  # fresh: Saturday 10-10 is a working day


def test_supplement_expired_closes_as_withdrawn(client, runtime, clock, make_record, store):
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id]).get_json()
    complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="supplement", reason="缺材料")
    clock.set("2026-10-13T23:00:00+08:00")
    assert runtime.engine.fire_due_timers() == 0
    clock.set("2026-10-14T00:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "applicant1"), doc["id"])
    assert (doc["status"], doc["outcome"]) == ("completed", "withdrawn")
    with store.read() as session:
        told = session.scalars(select(Notification.message).where(Notification.username == "applicant1")).all()
    assert any("按撤回处理" in m for m in told)


def test_overdue_review_escalates_and_stays_open(client, runtime, clock, make_record, store):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    clock.set("2026-10-09T08:00:00+08:00")
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "reviewer1"), doc["id"])
    review = open_task(doc, "first_review")
    assert review["overdue"] is True and doc["status"] == "running"
    assert "sla_breach" in [e["kind"] for e in doc["events"]]
    with store.read() as session:
        assert session.scalars(select(Notification.role).where(Notification.kind == "sla_breach")).one() == "supervisor"
    overdue = client.get("/api/v1/tasks?overdue=1", headers=bearer(token_for(client, "supervisor1"))).get_json()
    assert [t["id"] for t in overdue["items"]] == [review["id"]]


def test_withdrawal_by_the_applicant(client, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    doc = file_request(client, app1, [record_id]).get_json()
    assert client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(token_for(client, "applicant2"))).status_code == 404
    done = client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(app1)).get_json()
    assert (done["status"], done["outcome"]) == ("completed", "withdrawn")
    assert all(t["state"] != "ready" for t in done["tasks"])
    assert client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(app1)).status_code == 409


def test_second_request_on_the_same_record_is_refused(client, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    file_request(client, app1, [record_id])
    second = file_request(client, app1, [record_id])  # refused before a case or a letter exists (test_repeats.py)
    assert second.status_code == 422 and "正在办理" in second.get_json()["message"]


def test_applicants_see_only_their_own_cases(client, make_record):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    other = client.get(f"/api/v1/cases/{doc['id']}", headers=bearer(token_for(client, "applicant2")))
    assert other.status_code == 404
    assert client.get("/api/v1/tasks", headers=bearer(token_for(client, "applicant2"))).get_json()["items"] == []


def test_concurrent_decisions_one_conflict(client, app, make_record):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    review = open_task(doc, "first_review")
    tokens = [token_for(client, "reviewer1"), token_for(client, "reviewer2")]
    barrier, codes = threading.Barrier(2), []

    def decide(token, decision):
        with app.test_client() as own:
            barrier.wait()
            codes.append(complete(own, token, review["id"], doc["version"], decision=decision, reason="x").status_code)

    threads = [threading.Thread(target=decide, args=(t, d)) for t, d in zip(tokens, ("forward", "supplement"))]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sorted(codes) == [200, 409]


@pytest.mark.parametrize("subject, ids, form, status, field", [
    ("91350100M000100Y4", None, {}, 400, "code"),                     # malformed subject code
    (SUBJECT_A, [999999], {}, 404, "record_ids"),                      # unknown record
    (SUBJECT_A, "other", {}, 400, "record_ids"),                       # another subject's record
    (SUBJECT_A, None, {"commitment_accepted": False}, 400, "commitment_accepted"),
    (SUBJECT_A, None, {"reason": ""}, 400, "reason"),
])
def test_bad_filings_change_nothing(client, make_record, store, subject, ids, form, status, field):
    own = make_record("2026-05-10")
    foreign = make_record("2026-05-11", subject=SUBJECT_B)
    record_ids = ids if isinstance(ids, list) else {None: [own], "other": [foreign]}[ids]
    body = {"kind": "repair", "subject_code": subject, "record_ids": record_ids,
            "form": {"reason": "理由", "rectification": "整改", "commitment_accepted": True, **form}}
    response = client.post("/api/v1/cases", headers=bearer(token_for(client, "reviewer1")), json=body)
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["fields"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id.is_not(None))) == 0


def test_applicant_cannot_file_for_another_subject(client, make_record):
    record_id = make_record("2026-05-11", subject=SUBJECT_B)
    body = {"kind": "repair", "subject_code": SUBJECT_B, "record_ids": [record_id],
            "form": {"reason": "理由", "rectification": "整改", "commitment_accepted": True}}
    assert client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")), json=body).status_code == 403


def test_outbox_lists_repair_results_in_order(client, make_record, store, clock):
    with store.write() as uow:
        create_user(uow.session, "platform", PASSWORD, ["integration"], clock.now())
        uow.commit()
    app1 = token_for(client, "applicant1")
    # one approved repair per subject (a second within a year would be refused by the repeat limit)
    for subject, user in ((SUBJECT_A, "applicant1"), (SUBJECT_B, "applicant2")):
        body = {"kind": "repair", "subject_code": subject, "record_ids": [make_record("2026-05-10", subject=subject)],
                "form": {"reason": "已整改", "rectification": "已整改", "commitment_accepted": True}}
        doc = client.post("/api/v1/cases", headers=bearer(token_for(client, user)), json=body).get_json()
        repair_decided(client, doc)
    platform = bearer(token_for(client, "platform"))
    waiting = client.get("/api/v1/outbox", headers=platform).get_json()
    assert waiting["items"] == [] and waiting["last_seq"] == 0  # the decisions they name are not rendered yet
    drain_app_letters(client)
    first = client.get("/api/v1/outbox?limit=1", headers=platform).get_json()
    assert [e["kind"] for e in first["items"]] == ["repair_approved"] and first["next_cursor"]
    rest = client.get(f"/api/v1/outbox?after={first['next_cursor']}", headers=platform).get_json()
    assert [e["kind"] for e in rest["items"]] == ["repair_approved"] and rest["next_cursor"] is None
    assert rest["items"][0]["seq"] > first["items"][0]["seq"]
    assert client.get("/api/v1/outbox", headers=bearer(app1)).status_code == 403


def test_the_outbox_stops_before_the_first_event_whose_letter_is_pending(client, make_record, store, clock):
    """Ordered and never skipping: a later event waits behind an earlier one whose letter is pending."""
    with store.write() as uow:
        create_user(uow.session, "platform", PASSWORD, ["integration"], clock.now())
        uow.commit()
    rev = token_for(client, "reviewer1")
    docs = []
    for subject, user in ((SUBJECT_A, "applicant1"), (SUBJECT_B, "applicant2")):
        body = {"kind": "repair", "subject_code": subject, "record_ids": [make_record("2026-05-10", subject=subject)],
                "form": {"reason": "已整改", "rectification": "已整改", "commitment_accepted": True}}
        docs.append(client.post("/api/v1/cases", headers=bearer(token_for(client, user)), json=body).get_json())
    drain_app_letters(client)  # the acceptance letters
    first = department_decides(client, forward(client, docs[0], rev)).get_json()  # Order 36: the department decides
    second = department_decides(client, forward(client, docs[1], rev)).get_json()
    decision_b = next(l for l in second["letters"] if l["type"] == "repair_decision")
    render_letter(store, decision_b["id"], clock.now())  # the second case's letter is rendered first
    platform = bearer(token_for(client, "platform"))
    assert client.get("/api/v1/outbox", headers=platform).get_json()["items"] == []  # the first still waits
    decision_a = next(l for l in first["letters"] if l["type"] == "repair_decision")
    render_letter(store, decision_a["id"], clock.now())
    items = client.get("/api/v1/outbox", headers=platform).get_json()["items"]
    assert [e["payload"]["letter_number"] for e in items] == [decision_a["number"], decision_b["number"]]


def test_serious_record_under_527_waits_for_a_valid_training_certificate(client, clock, make_record, store):
    from workflows.people.access import Actor
    from workflows.training.service import create_session, enroll, record_attendance
    admin = Actor("admin1", frozenset({"admin"}))
    clock.set("2023-10-09T10:00:00+08:00")
    record_id = make_record("2023-03-01", severity="serious")  # 527: needs training + credit report
    app1 = token_for(client, "applicant1")
    doc = file_request(client, app1, [record_id]).get_json()
    task = open_task(doc, "provide_certificate")
    assert task["lane"] == "applicant" and not [t for t in doc["tasks"] if t["bpmn_id"] == "review"]
    doc = complete(client, app1, task["id"], doc["version"], training_certificate_no="泉信用培〔2023〕99号").get_json()
    again = open_task(doc, "provide_certificate")  # not issued to this subject: asked again
    with store.write() as uow:
        session = create_session(uow.session, {"course": "信用修复专题培训", "starts_at": "2023-10-09T09:00:00+08:00",
                                               "provider": "泉州市信用办", "mode": "offline", "place": "市行政服务中心",
                                               "capacity": 30}, admin, clock.now())
        uow.session.flush()
        enrollment = enroll(uow.session, session.id, SUBJECT_A, "陈志明", admin, clock.now())
        uow.session.flush()
        record_attendance(uow.session, enrollment.id, True, admin, clock.now(), "http://t")
        number = enrollment.certificate_no
        uow.commit()
    doc = complete(client, app1, again["id"], doc["version"], training_certificate_no=number).get_json()
    assert open_task(doc, "review")["state"] == "ready"


def test_repeat_limit_refuses_a_second_repair_within_a_year(client, make_record):
    app1 = token_for(client, "applicant1")
    doc = file_request(client, app1, [make_record("2026-05-10")]).get_json()
    repair_decided(client, doc)
    second = file_request(client, app1, [make_record("2026-05-11")]).get_json()
    assert second["outcome"] == "not_accepted"
    refusal = next(l for l in second["letters"] if l["type"] == "repair_refusal")
    text = letter_text(client, app1, refusal).replace("\n", "")
    assert "距上次信用修复不满1年" in text and "2027年9月30日" in text


@pytest.mark.parametrize("decided", ["2026-05-10", "2026-09-01"])  # accepted; refused (too early)
def test_filing_answer_is_the_case_as_stored(client, make_record, decided):
    """The POST answer is built inside the filing transaction from the rows it wrote; it must
    equal what a later GET reads back, letters and audit timeline included."""
    record_id = make_record(decided)
    app1 = token_for(client, "applicant1")
    filed = file_request(client, app1, [record_id])
    assert filed.status_code == 201, filed.get_json()
    answer = filed.get_json()
    assert answer["letters"] and answer["events"][0]["kind"] == "case_started"
    assert answer == case_of(client, app1, answer["id"])
