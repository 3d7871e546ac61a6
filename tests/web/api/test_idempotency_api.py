"""`Idempotency-Key` beyond the case routes: answers stored after the commit (calendar), multipart
uploads, the guard before the key, the OpenAPI document, and JSON that always encodes."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from webapp.api.idempotency_key import BadKey, parse_key
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import CaseEvent
from workflows.core.models.requests import IdempotentRequest

from tests.support.files import pdf_bytes
from tests.support.flow_kinds import DATA_DIR
from tests.support.web import bearer, headers, token_for

KEY = {"Idempotency-Key": "5b3e0f7c-1d2a-4e8b-9c6f-0a1b2c3d4e5f"}


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def count(store, model, *where) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_an_answer_built_after_the_commit_is_replayed_too(client, users, store):
    admin = {**bearer(token_for(client, "admin1")), **KEY}
    body = {"day": "2026-10-02", "working": True, "note": "演练补班"}
    first = client.post("/api/v1/calendar/overrides", headers=admin, json=body)
    again = client.post("/api/v1/calendar/overrides", headers=admin, json=body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.data == first.data and again.headers["Idempotent-Replayed"] == "true"
    assert count(store, CaseEvent, CaseEvent.kind == "calendar_override_set") == 1


def test_a_refused_caller_gets_the_guards_answer_not_a_replay(client, users, store):
    admin, reviewer = bearer(token_for(client, "admin1")), bearer(token_for(client, "reviewer1"))
    body = {"day": "2026-10-02", "working": True}
    assert client.post("/api/v1/calendar/overrides", headers={**admin, **KEY}, json=body).status_code == 201
    assert client.post("/api/v1/calendar/overrides", headers={**reviewer, **KEY}, json=body).status_code == 403
    assert client.post("/api/v1/calendar/overrides", headers=KEY, json=body).status_code == 401
    bad_key = client.post("/api/v1/calendar/overrides", headers={"Idempotency-Key": "x" * 300}, json=body)
    assert bad_key.status_code == 401  # who asks comes first
    assert count(store, IdempotentRequest) == 1


def test_a_retried_upload_is_the_same_request_under_a_new_boundary(client, case, store):
    app1 = {**headers(client, "applicant1"), **KEY}

    def upload():
        return client.post(f"/api/v1/cases/{case.id}/attachments", headers=app1, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf_bytes()), "整改报告.pdf", "application/pdf")})

    first, again = upload(), upload()
    assert (first.status_code, again.status_code) == (201, 201), first.get_json()
    assert again.data == first.data and again.headers["Idempotent-Replayed"] == "true"
    assert count(store, Attachment) == 1


def test_every_post_documents_the_key_and_its_errors(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    posts = [(path, op) for path, ops in paths.items() for method, op in ops.items() if method == "post"]
    assert len(posts) >= 25
    for path, op in posts:
        [param] = [p for p in op["parameters"] if p["name"] == "Idempotency-Key"]
        assert (param["in"], param["required"], param["schema"]["maxLength"]) == ("header", False, 200), path
        assert {"400", "409", "422"} <= set(op["responses"]), path
    gets = [op for ops in paths.values() for method, op in ops.items() if method == "get"]
    assert not any(p["name"] == "Idempotency-Key" for op in gets for p in op["parameters"])


@pytest.mark.parametrize("header, key", [
    ("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
    ('"8e03978e-40d5-43e8-bc93-6894a57f9324"', "8e03978e-40d5-43e8-bc93-6894a57f9324"),  # RFC 8941 string
    ('"with \\"quote\\" and space"', 'with "quote" and space'),
    ("k" * 200, "k" * 200),
])
def test_keys_are_read_bare_or_as_a_structured_string(header, key):
    assert parse_key([header]) == key


@pytest.mark.parametrize("headers_", [[""], ["k" * 201], ["two words"], ['" "'], ['"bad\\n"'], ["é"], ["a", "b"]])
def test_malformed_keys_are_refused(headers_):
    with pytest.raises(BadKey):
        parse_key(headers_)


def test_json_with_a_lone_surrogate_still_encodes(app):
    with app.app_context():
        response = app.json.response({"reason": "\ud800", "name": "泉州"})
    body = response.get_data()
    assert json.loads(body.decode("utf-8")) == {"reason": "\ud800", "name": "泉州"}
    with app.app_context():
        assert "泉州".encode() in app.json.response({"name": "泉州"}).get_data()  # Chinese stays unescaped
