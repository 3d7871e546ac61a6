"""Input no operation can store, refused at the boundary or the operation with the field named:
NUL (PostgreSQL refuses it), lone surrogates, years no conversion survives (issue 13)."""
from __future__ import annotations

import pytest

from tests.support.api_cases import SUBJECT_A
from tests.support.hostile import NUL, SURROGATE, field_error, raw_json, row_counts
from tests.support.training import SESSION
from tests.support.web import bearer, token_for

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("path", ["/api/v1/public/commitments", "/api/v1/records", "/api/v1/commitments",
                                  "/commitments/public", "/records/"])
def test_a_nul_in_a_search_is_400_naming_q(client, admin, path):
    login_free = path.startswith("/api/v1/public") or path == "/commitments/public"
    response = client.get(path, query_string={"q": NUL}, headers={} if login_free else bearer(token_for(client, "admin1")))
    if path.startswith("/api/"):
        field_error(response, "q")
    else:
        assert response.status_code == 400 and "q" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/public/commitments", "/api/v1/records"])
def test_a_search_longer_than_its_box_is_400(client, admin, path):
    response = client.get(path, query_string={"q": "搜" * 201}, headers=bearer(token_for(client, "admin1")))
    field_error(response, "q")


@pytest.mark.parametrize("value", [NUL, SURROGATE, "事实" + NUL])
def test_unstorable_record_facts_are_400_and_nothing_is_written(client, store, admin, value):
    before = row_counts(store)
    body = {"subject_code": SUBJECT_A, "subject_name": "泉州市清源食品有限公司", "kind": "penalty",
            "severity": "general", "decision_no": "泉市监罚〔2026〕77号", "decision_date": "2026-05-10",
            "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局", "facts": value,
            "basis": "《食品安全法》", "content": "罚款"}
    response = client.post("/api/v1/records", data=raw_json(body),
                           headers={**bearer(token_for(client, "admin1")), **JSON})
    field_error(response, "facts")
    assert row_counts(store) == before


@pytest.mark.parametrize("note", [NUL, SURROGATE])
def test_an_unstorable_calendar_note_is_400(client, store, admin, note):
    before = row_counts(store)
    response = client.post("/api/v1/calendar/overrides", data=raw_json({"day": "2026-10-02", "working": True,
                                                                        "note": note}),
                           headers={**bearer(token_for(client, "admin1")), **JSON})
    field_error(response, "note")
    assert row_counts(store) == before


def test_a_nul_in_a_path_segment_is_400(client, admin):
    response = client.get("/api/v1/subjects/a%00b", headers=bearer(token_for(client, "admin1")))
    field_error(response, "code")


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+08:00", "9999-12-30T00:00:00+08:00", "0001-01-01",
                                   "9999-12-31"])
def test_the_public_deadline_refuses_years_outside_the_window(client, start):
    field_error(client.get("/api/v1/calendar/deadline", query_string={"start": start, "days": 5}), "start")


@pytest.mark.parametrize("starts_at", ["0936-05-01T09:00:00", "0936-05-01T09:00:00+08:00", "9999-12-31T23:00:00+08:00",
                                       "1999-12-31T09:00:00+08:00", 5, ["2026-10-10"]])
def test_a_training_session_outside_the_window_is_refused_and_the_list_still_works(client, store, admin, starts_at):
    token = token_for(client, "admin1")
    before = row_counts(store)
    field_error(client.post("/api/v1/training/sessions", headers=bearer(token),
                            json={**SESSION, "starts_at": starts_at}), "starts_at")
    assert row_counts(store) == before
    assert client.post("/api/v1/training/sessions", headers=bearer(token), json=SESSION).status_code == 201
    listed = client.get("/api/v1/training/sessions", headers=bearer(token))
    assert listed.status_code == 200
    assert [s["starts_at"] for s in listed.get_json()["items"]] == ["2026-10-10T09:00:00+08:00"]


@pytest.mark.parametrize("field, value", [("course", "课" * 201), ("place", "地" * 301), ("capacity", 10 ** 30),
                                          ("mode", {"a": 1}), ("provider", NUL)])
def test_a_training_session_with_a_bad_field_is_refused(client, store, admin, field, value):
    before = row_counts(store)
    response = client.post("/api/v1/training/sessions", headers={**bearer(token_for(client, "admin1")), **JSON},
                           data=raw_json({**SESSION, field: value}))
    field_error(response, field)
    assert row_counts(store) == before


def test_a_huge_warning_close_note_is_refused(client, admin):
    response = client.post("/api/v1/warnings/1/close", headers=bearer(token_for(client, "admin1")),
                           json={"note": "注" * 501})
    assert response.status_code in (400, 404)


def test_letter_preview_refuses_a_huge_context(client, admin):
    response = client.post("/api/v1/letters/preview", headers=bearer(token_for(client, "admin1")),
                           json={"type": "interview_notice", "context": {"place": "地" * 5000}})
    field_error(response, "context")


def test_the_letter_preview_page_refuses_deeply_nested_json(client, admin):
    from tests.support.web import login
    login(client, "admin1")
    response = client.post("/letters/preview", data={"type": "interview_notice", "context": "[" * 50_000})
    assert response.status_code in (200, 400)
    assert "JSON" in response.get_data(as_text=True)


def test_a_nul_in_a_page_form_is_400_naming_the_field(client, store, admin):
    from tests.support.web import login
    login(client, "admin1")
    before = row_counts(store)
    response = client.post("/admin/calendar", data={"day": "2026-10-02", "kind": "rest", "note": NUL})
    assert response.status_code == 400
    assert "<code>note</code>" in response.get_data(as_text=True)
    assert row_counts(store) == before
