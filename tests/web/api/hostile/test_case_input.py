"""Bad, huge and unencodable input to the case routes: a clear 400 naming the field, nothing
written, never a 500 (issue 13)."""
from __future__ import annotations

import pytest

from tests.support.api_cases import SUBJECT_A, case_of, file_request, start_interview
from tests.support.hostile import (
    HUGE_INT,
    NUL,
    SURROGATE,
    field_error,
    nested,
    raw_json,
    row_counts,
)
from tests.support.web import bearer, token_for


def test_a_huge_reschedule_place_is_refused_before_anything_is_written(client, store, make_record):
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    app1 = token_for(client, "applicant1")
    before = row_counts(store)
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(app1),
                        json={"scheduled_at": "2026-10-14T14:00:00+08:00", "place": "会" * 200_000, "reason": "出差"})
    body = field_error(moved, "place")
    assert "300" in body["fields"]["place"]
    assert row_counts(store) == before
    assert case_of(client, app1, doc["id"])["version"] == doc["version"]


@pytest.mark.parametrize("field, value", [("reason", "x" * 300), ("scheduled_at", "0001-01-01T09:00:00+08:00"),
                                          ("scheduled_at", 5), ("place", ["a"])])
def test_a_bad_reschedule_request_names_its_field(client, store, make_record, field, value):
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    before = row_counts(store)
    body = {"scheduled_at": "2026-10-14T14:00:00+08:00", "reason": "出差", field: value}
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(token_for(client, "applicant1")),
                        json=body)
    field_error(moved, field)
    assert row_counts(store) == before


@pytest.mark.parametrize("text", [SURROGATE, NUL, "整改" + SURROGATE])
def test_unencodable_repair_reason_is_400_and_files_nothing(client, store, make_record, text):
    """Once a 500 after the commit: the case and a numbered letter were saved."""
    record_id = make_record("2026-05-10")
    before = row_counts(store)
    body = {"kind": "repair", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"reason": text, "rectification": "已整改", "commitment_accepted": True}}
    response = client.post("/api/v1/cases", data=raw_json(body),
                           headers={**bearer(token_for(client, "applicant1")), "Content-Type": "application/json"})
    field_error(response, "reason")
    assert row_counts(store) == before


def test_too_long_repair_reason_is_400_not_truncated(client, store, make_record):
    record_id = make_record("2026-05-10")
    before = row_counts(store)
    field_error(file_request(client, token_for(client, "applicant1"), [record_id], reason="理" * 4001), "reason")
    assert row_counts(store) == before


@pytest.mark.parametrize("ids", [[HUGE_INT], [str(HUGE_INT)], ["²"], [True], [0], [-1], [1.5], list(range(1, 202))])
def test_bad_record_ids_are_400(client, store, make_record, ids):
    make_record("2026-05-10")
    before = row_counts(store)
    field_error(file_request(client, token_for(client, "applicant1"), ids), "record_ids")
    assert row_counts(store) == before


@pytest.mark.parametrize("kind", [{"a": 1}, ["repair"], 7, None])
def test_kind_that_is_not_text_is_400(client, store, make_record, kind):
    record_id = make_record("2026-05-10")
    before = row_counts(store)
    response = client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")),
                           json={"kind": kind, "subject_code": SUBJECT_A, "record_ids": [record_id], "form": {}})
    field_error(response, "kind")
    assert row_counts(store) == before


@pytest.mark.parametrize("form, field", [
    ({"materials": 5}, "materials"), ({"materials": [{"a": 1}]}, "materials"),
    ({"materials": ["材料"] * 51}, "materials"), ({"officers": 5}, "officers"),
    ({"officers": ["人" * 101]}, "officers"), ({"place": "地" * 301}, "place"), ({"reason": "由" * 4001}, "reason"),
    ({"scheduled_at": "0001-01-01T09:00:00+08:00"}, "scheduled_at"),
    ({"scheduled_at": "9999-12-31T23:59:59+08:00"}, "scheduled_at"),
    ({"scheduled_at": ["2026-10-12"]}, "scheduled_at"), ({"interview_kind": {"x": 1}}, "interview_kind"),
    ({"warning_id": HUGE_INT}, "warning_id")])
def test_bad_interview_filing_names_its_field(client, store, make_record, form, field):
    record_id = make_record("2026-05-10")
    before = row_counts(store)
    response = start_interview(client, token_for(client, "dept1"), [] if "warning_id" in form else [record_id], **form)
    body = field_error(response, field)
    assert "流程执行出错" not in body["message"]
    assert row_counts(store) == before


@pytest.mark.parametrize("form, field", [
    ({"commitment_type": ["certification"]}, "commitment_type"), ({"disclosure": {"x": 1}}, "disclosure"),
    ({"matter": "事" * 501}, "matter"), ({"content": "容" * 4001}, "content"),
    ({"valid_until": "0936-01-01"}, "valid_until"), ({"verify_on": "9999-01-01"}, "verify_on"),
    ({"department_code": ["QZ-SCJG"]}, "department_code"), ({"liability": NUL}, "liability")])
def test_bad_commitment_filing_names_its_field(client, store, world, form, field):
    from tests.support.api_cases import commit
    before = row_counts(store)
    field_error(commit(client, token_for(client, "applicant1"), **form), field)
    assert row_counts(store) == before


@pytest.mark.parametrize("form, field", [({"claim": "异" * 4001}, "claim"), ({"target": ["content"]}, "target"),
                                         ({"record_ids": [HUGE_INT]}, "record_ids"), ({"evidence": 5}, "evidence")])
def test_bad_objection_filing_names_its_field(client, store, make_record, form, field):
    record_id = make_record("2026-05-10")
    before = row_counts(store)
    body = {"kind": "objection", "subject_code": SUBJECT_A, "form": {
        "record_ids": [record_id], "target": "content", "claim": "处罚金额有误", "evidence": "缴款凭证", **form}}
    field_error(client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")), json=body), field)
    assert row_counts(store) == before


def test_task_data_too_long_is_refused_not_truncated(client, store, make_record):
    from tests.support.api_cases import complete, open_task
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    rev = token_for(client, "reviewer1")
    review = open_task(doc, "first_review")
    claimed = client.post(f"/api/v1/tasks/{review['id']}/claim", headers=bearer(rev)).get_json()
    before = row_counts(store)
    for data, field in (({"decision": "supplement", "reason": "由" * 4001}, "reason"),
                        ({"decision": ["forward"]}, "decision"),
                        ({"decision": "supplement", "reason": "补", "supplement_items": ["项"] * 51},
                         "supplement_items")):
        field_error(complete(client, rev, review["id"], claimed["version"], **data), field)
    assert row_counts(store) == before


@pytest.mark.parametrize("path, name", [
    ("/api/v1/cases/{n}", "case_id"), ("/api/v1/cases/{n}/withdraw", "case_id"), ("/api/v1/records/{n}", "record_id"),
    ("/api/v1/letters/{n}", "letter_id"), ("/api/v1/letters/{n}.pdf", "letter_id"),
    ("/api/v1/cases/{n}/attachments", "case_id"), ("/desk/cases/{n}", "case_id")])
@pytest.mark.parametrize("number", [str(HUGE_INT), "9" * 5000], ids=["2^63", "5000 digits"])
def test_ids_above_bigint_are_404_naming_the_id(client, store, world, path, name, number):
    token = token_for(client, "applicant1")
    before = row_counts(store)
    url = path.format(n=number)
    response = (client.post(url, headers=bearer(token), json={}) if path.endswith("withdraw")
                else client.get(url, headers=bearer(token)))
    if path.startswith("/api/"):
        assert field_error(response, name, 404)["error"] == "not_found"
    else:
        assert response.status_code == 404
    assert row_counts(store) == before


def test_a_unicode_digit_id_in_a_path_is_not_a_500(client, world):
    response = client.get("/api/v1/records/²", headers=bearer(token_for(client, "applicant1")))
    assert response.status_code == 404


@pytest.mark.parametrize("depth", [50_000, 100])
def test_deeply_nested_json_is_400(client, store, world, depth):
    before = row_counts(store)
    response = client.post("/api/v1/cases", headers={**bearer(token_for(client, "applicant1")),
                                                     "Content-Type": "application/json"}, data=nested(depth))
    field_error(response, "body")
    assert row_counts(store) == before


def test_a_huge_json_body_is_413(client, store, world):
    response = client.post("/api/v1/cases", headers={**bearer(token_for(client, "applicant1")),
                                                     "Content-Type": "application/json"},
                           data=b'{"kind": "repair", "x": "' + b"a" * (3 * 1024 * 1024) + b'"}')
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
