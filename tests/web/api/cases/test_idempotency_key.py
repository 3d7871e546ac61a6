"""`Idempotency-Key` on the API's POSTs, over HTTP on SQLite and PostgreSQL: a retried filing
or task completion runs once and answers the first answer again."""
from __future__ import annotations

import json
import threading
from datetime import timedelta

from sqlalchemy import func, select

from workflows.background.work import run_due_work
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.models.letters import Letter
from workflows.core.models.requests import IdempotentRequest

from tests.support.api_cases import SUBJECT_A, complete, file_request, open_task
from tests.support.web import bearer, token_for

KEY = "3f0c1e9a-6b2d-4c55-9d1e-7a8b2c4d5e6f"


def keyed(token: str, key: str = KEY) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key}


def file_keyed(client, token, record_ids, key=KEY, **form):
    body = {"kind": "repair", "subject_code": SUBJECT_A, "record_ids": record_ids,
            "form": {"reason": "已缴清罚款并完成整改", "rectification": "已下架问题食品并建立进货查验制度",
                     "commitment_accepted": True, **form}}
    return client.post("/api/v1/cases", headers=keyed(token, key), json=body)


def counts(store) -> tuple[int, int, int, int]:
    """Repair cases (each also opens its commitment's 承诺—践诺 case), letters, events of cases, stored keys."""
    with store.read() as session:
        return tuple(session.scalar(query) for query in (
            select(func.count()).select_from(Case).where(Case.kind == "repair"), select(func.count()).select_from(Letter),
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id.is_not(None)),
            select(func.count()).select_from(IdempotentRequest)))


def letter_numbers(store) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(Letter.number).order_by(Letter.id)))


def test_a_repeated_filing_runs_once_and_answers_the_first_answer(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    first = file_keyed(client, app1, [record_id])
    assert first.status_code == 201, first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    after_first, numbers = counts(store), letter_numbers(store)
    assert after_first[0] == 1 and after_first[3] == 1 and len(numbers) == 2
    again = file_keyed(client, app1, [record_id])
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.data == first.data  # the same bytes: the same case, tasks and letter numbers
    assert counts(store) == after_first and letter_numbers(store) == numbers


def test_the_key_with_another_body_or_path_is_refused(client, make_record, store):
    record_id, other_record = make_record("2026-05-10"), make_record("2026-05-11")
    app1 = token_for(client, "applicant1")
    case_id = file_keyed(client, app1, [record_id]).get_json()["id"]
    before = counts(store)
    for response in (file_keyed(client, app1, [other_record]),
                     file_keyed(client, app1, [record_id], reason="另一个理由"),
                     client.post(f"/api/v1/cases/{case_id}/withdraw", headers=keyed(app1))):
        assert response.status_code == 422, response.get_json()
        error = response.get_json()
        assert error["error"] == "idempotency_key_reused" and "Idempotency-Key" in error["fields"]
        assert "Idempotency-Key" in error["message"] and "另一个请求" in error["message"]  # in Chinese
    assert counts(store) == before


def test_keys_belong_to_their_caller(client, make_record, store):
    record_id, other_record = make_record("2026-05-10"), make_record("2026-05-11")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    mine = file_keyed(client, app1, [record_id])
    theirs = file_keyed(client, rev, [other_record])  # staff file for the subject, with the same key
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers and theirs.get_json()["id"] != mine.get_json()["id"]
    assert counts(store)[0] == 2
    with store.read() as session:
        assert sorted(session.scalars(select(IdempotentRequest.actor))) == ["applicant1", "reviewer1"]


def test_malformed_keys_are_refused_before_anything_runs(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    for key in ("k" * 201, "", "two words", '"unterminated'):
        response = file_keyed(client, app1, [record_id], key=key)
        assert response.status_code == 400, (key, response.get_json())
        assert response.get_json()["error"] == "invalid_idempotency_key"
        assert "Idempotency-Key" in response.get_json()["fields"]
    assert counts(store) == (0, 0, 0, 0)
    assert file_keyed(client, app1, [record_id], key="k" * 200).status_code == 201
    other_record = make_record("2026-05-11")  # the first record has its repair running now
    assert file_keyed(client, app1, [other_record], key='"k-in-quotes"').status_code == 201  # RFC 8941 string
    assert counts(store)[3] == 2


def test_without_the_header_nothing_changes(client, make_record, store):
    record_id, other_record = make_record("2026-05-10"), make_record("2026-05-11")
    app1 = token_for(client, "applicant1")
    answers = [file_request(client, app1, [record_id]), file_request(client, app1, [other_record])]
    assert [a.status_code for a in answers] == [201, 201]
    assert not any("Idempotent-Replayed" in a.headers for a in answers)
    assert counts(store)[0] == 2 and counts(store)[3] == 0


def test_a_refusal_keeps_no_answer_so_the_corrected_retry_runs(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    refused = file_keyed(client, app1, [record_id], reason="")
    assert refused.status_code == 400 and counts(store) == (0, 0, 0, 0)
    assert file_keyed(client, app1, [record_id]).status_code == 201


def test_concurrent_duplicates_run_once(app, make_record, store):
    """Both pass the look-up; the key's row in the first write makes the second wait, roll back
    and answer the first answer (PostgreSQL: the unique index; SQLite: the write lock)."""
    record_id = make_record("2026-05-10")
    app1 = token_for(app.test_client(), "applicant1")
    barrier, answers = threading.Barrier(2), []

    def post():
        with app.test_client() as own:
            barrier.wait()
            answers.append(file_keyed(own, app1, [record_id]))

    threads = [threading.Thread(target=post) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sorted(a.status_code for a in answers) == [201, 201], [a.get_json() for a in answers]
    assert answers[0].data == answers[1].data
    cases, letters, _events, keys = counts(store)
    assert (cases, letters, keys) == (1, 2, 1)


def test_a_retried_task_completion_answers_the_first_answer(client, make_record, store):
    """The retry would otherwise find the task done (409): the key answers before that."""
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id]).get_json()
    review = open_task(doc, "first_review")
    body = {"data": {"decision": "forward"}, "version": doc["version"]}
    first = client.post(f"/api/v1/tasks/{review['id']}/complete", headers=keyed(rev), json=body)
    assert first.status_code == 200 and open_task(first.get_json(), "department_decision")
    before = counts(store)
    again = client.post(f"/api/v1/tasks/{review['id']}/complete", headers=keyed(rev), json=body)
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (200, "true")
    assert again.data == first.data and counts(store) == before
    unkeyed = complete(client, rev, review["id"], doc["version"], decision="forward")
    assert unkeyed.status_code == 409  # without the key a retry is a new request


def test_an_answer_holding_a_token_is_not_kept(client, make_record, store):
    make_record("2026-05-10")  # the users
    credentials = {"username": "applicant1", "password": "correct horse 42"}
    first = client.post("/api/v1/auth/token", headers={"Idempotency-Key": KEY}, json=credentials)
    assert first.status_code == 201 and first.headers["Cache-Control"] == "no-store"
    again = client.post("/api/v1/auth/token", headers={"Idempotency-Key": KEY}, json=credentials)
    assert again.status_code == 422 and again.get_json()["error"] == "idempotency_answer_not_kept"
    with store.read() as session:
        row = session.scalars(select(IdempotentRequest)).one()
    assert (row.actor, row.status_code, row.response_body) == ("anonymous", 201, None)
    assert first.get_json()["token"].encode() not in (row.response_body or b"")


def test_keys_expire_after_a_day(client, clock, make_record, runtime, store):
    record_id, other_record = make_record("2026-05-10"), make_record("2026-05-11")
    app1 = token_for(client, "applicant1")
    assert file_keyed(client, app1, [record_id]).status_code == 201
    clock.advance(timedelta(hours=23, minutes=59))
    assert run_due_work(runtime.engine)["expired_idempotency_keys"] == 0
    app1 = token_for(client, "applicant1")  # tokens last 12 hours; the key is the user's, not the token's
    assert file_keyed(client, app1, [other_record]).status_code == 422  # still the first request's key
    clock.advance(timedelta(minutes=2))
    assert run_due_work(runtime.engine)["expired_idempotency_keys"] == 1
    assert file_keyed(client, app1, [other_record]).status_code == 201  # the key is free again
    assert counts(store)[0] == 2


def test_an_unencodable_string_never_answers_500_after_a_commit(client, make_record, store):
    """A lone surrogate in a JSON body: either refused with nothing written, or saved and
    answered (escaped JSON), and a keyed retry answers the same bytes."""
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    body = {"kind": "repair", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"reason": "\ud800", "rectification": "已下架问题食品", "commitment_accepted": True}}
    headers = {**keyed(app1), "Content-Type": "application/json"}
    response = client.post("/api/v1/cases", headers=headers, data=json.dumps(body))
    assert response.status_code in (201, 400), response.data
    if response.status_code == 400:
        assert counts(store) == (0, 0, 0, 0)
        return
    assert json.loads(response.data.decode("utf-8"))["id"]
    again = client.post("/api/v1/cases", headers=headers, data=json.dumps(body))
    assert again.data == response.data and counts(store)[0] == 1
