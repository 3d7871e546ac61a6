"""Repeats mint nothing (issue 13): a claim one already holds is a no-op; a second repair or
objection on a record with a running case is a 422 before any case, letter or number exists."""
from __future__ import annotations

from sqlalchemy import select

from workflows.core.models.records import CreditRecord

from tests.support.api_cases import SUBJECT_A, commit, complete, file_request, open_task, start_interview
from tests.support.db import minted
from tests.support.web import bearer, token_for


def _claim(client, token, task_id, version=None):
    body = {} if version is None else {"version": version}
    return client.post(f"/api/v1/tasks/{task_id}/claim", headers=bearer(token), json=body)


def test_claiming_a_task_one_holds_changes_nothing(client, store, make_record):
    rev = token_for(client, "reviewer1")
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    review = open_task(doc, "first_review")
    first = _claim(client, rev, review["id"], doc["version"])
    assert first.status_code == 200, first.get_json()
    before = minted(store)
    for version in (None, doc["version"], first.get_json()["version"]):  # no version, the one sent first, current
        again = _claim(client, rev, review["id"], version)
        assert again.status_code == 200, again.get_json()
        assert again.get_json()["version"] == first.get_json()["version"]
        assert again.get_json()["events"] == first.get_json()["events"]
    assert minted(store) == before
    taken = _claim(client, token_for(client, "reviewer2"), review["id"])
    assert taken.status_code == 409 and "reviewer1" in taken.get_json()["message"]


def test_unclaiming_an_unclaimed_task_changes_nothing(client, store, make_record):
    rev = token_for(client, "reviewer1")
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    review = open_task(doc, "first_review")
    before = minted(store)
    again = client.post(f"/api/v1/tasks/{review['id']}/unclaim", headers=bearer(rev), json={})
    assert again.status_code == 200 and again.get_json()["version"] == doc["version"]
    assert minted(store) == before


def test_duplicate_repair_filing_is_refused_before_anything_is_numbered(client, store, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    first = file_request(client, app1, [record_id])
    assert first.status_code == 201
    before = minted(store)
    for _ in range(3):
        again = file_request(client, app1, [record_id])
        assert again.status_code == 422, again.get_json()
        body = again.get_json()
        assert body["error"] == "rule_violation" and "正在办理" in body["message"]
        assert "record_ids" in body["fields"]
    assert minted(store) == before


def test_repair_while_an_objection_runs_is_refused_up_front(client, store, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    objection = client.post("/api/v1/cases", headers=bearer(app1), json={
        "kind": "objection", "subject_code": SUBJECT_A, "record_ids": [record_id],
        "form": {"record_ids": [record_id], "target": "content", "claim": "处罚金额有误", "evidence": "缴款凭证"}})
    assert objection.status_code == 201
    before = minted(store)
    again = file_request(client, app1, [record_id])
    assert again.status_code == 422 and "record_ids" in again.get_json()["fields"]
    assert minted(store) == before


def test_duplicate_objection_is_refused_before_a_case_is_opened(client, store, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"record_ids": [record_id], "target": "content", "claim": "处罚金额有误", "evidence": ""}}
    assert client.post("/api/v1/cases", headers=bearer(app1), json=body).status_code == 201
    before = minted(store)
    again = client.post("/api/v1/cases", headers=bearer(app1), json=body)
    assert again.status_code == 422 and "已有正在办理的异议" in again.get_json()["message"]
    assert minted(store) == before


def test_repair_of_a_record_that_is_not_a_dishonesty_record_is_refused_up_front(client, store, make_record):
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [make_record("2026-05-10")]).get_json()
    done = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=False,
                    absence_justified=False).get_json()
    assert open_task(done, "state_defence")  # an unjustified absence: recorded, the listing proposed
    with store.read() as session:
        refused = session.scalars(select(CreditRecord.id).where(CreditRecord.kind == "interview_record")).one()
    before = minted(store)
    again = file_request(client, token_for(client, "applicant1"), [refused])
    assert again.status_code == 422 and "无需修复" in again.get_json()["message"]
    assert minted(store) == before


def test_repeated_excluded_commitments_number_nothing(client, store, make_record):
    """The 告知承诺 exclusion is decided before a 承诺编码 is allocated (commitment_prepare)."""
    make_record("2026-05-10", severity="serious", no="泉市监罚〔2026〕99号")
    app1 = token_for(client, "applicant1")
    before = minted(store)
    for _ in range(2):
        refused = commit(client, app1, "certification")
        assert refused.status_code == 422 and "泉市监罚〔2026〕99号" in refused.get_json()["message"]
    assert minted(store) == before
