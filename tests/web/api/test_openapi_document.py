"""/api/v1/openapi.json tells the truth: every API route is in it, every answer it can give is
listed with its body and headers, and real answers of a repair case match the schemas.
(The fuzz run, tests/web/api/fuzz, checks random requests against the same document.)"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import schemathesis

from tests.support.api_cases import SUBJECT_A, complete, file_request, open_task
from tests.support.letters import drain_app_letters
from tests.support.web import PASSWORD, bearer, token_for
from workflows.core.config import PROJECT_ROOT
from workflows.people.users import create_user

JSON = "application/json"


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def admin(store, clock, world) -> str:
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    return "admin1"


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_api_route_is_documented(app, document):
    routes = {(rule.rule, method.lower()) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path.replace("{", "<").replace("}", ">"), method) for path, method, _ in _operations(document)}
    missing = {(path, method) for path, method in routes
               if (_plain(path), method) not in {(_plain(p), m) for p, m in documented}}
    assert not missing


def _plain(rule: str) -> str:
    """`/cases/<int:case_id>` and `/cases/<case_id>` alike."""
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"<\1>", rule)


def test_every_success_names_its_body_and_every_error_is_the_error_shape(document):
    for path, method, operation in _operations(document):
        if not path.startswith("/api/"):
            continue  # /healthz and /readyz answer their own status object, 503 included
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            if status.startswith("2") and status != "204":
                assert content, (method, path, status)
                for media, body in content.items():
                    assert body.get("schema"), (method, path, status, media)
            elif status == "204":
                assert not content, (method, path)
            else:
                assert content == {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}, (method, path, status)
        assert "503" in operation["responses"], (method, path)
        assert "Retry-After" in operation["responses"]["503"]["headers"]


def test_guarded_routes_document_401_with_its_header_403_for_roles_and_400_for_input(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        if "security" in operation:
            assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True, (method, path)
        if operation.get("x-roles"):
            assert "403" in responses, (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            assert "400" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert "413" in responses, (method, path)


def test_every_post_takes_an_idempotency_key_and_documents_its_answers(document):
    posts = [(path, operation) for path, method, operation in _operations(document) if method == "post"]
    assert len(posts) >= 30
    for path, operation in posts:
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, path
        assert {"400", "409", "422"} <= set(operation["responses"]), path
        success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
        assert "Idempotent-Replayed" in success["headers"], path


def test_pdfs_are_documented_as_pdfs_with_their_headers(document):
    archived = document["paths"]["/api/v1/letters/{letter_id}.pdf"]["get"]["responses"]["200"]
    assert set(archived["content"]) == {"application/pdf"}
    assert {"ETag", "Content-Disposition"} <= set(archived["headers"])
    assert set(document["paths"]["/api/v1/letters/preview"]["post"]["responses"]["200"]["content"]) == {"application/pdf"}
    download = document["paths"]["/api/v1/attachments/{attachment_id}"]["get"]["responses"]["200"]["content"]
    assert set(download) == {"application/pdf", "image/jpeg", "image/png"}
    assert document["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]["headers"]["Retry-After"]["required"]


def test_the_answers_of_a_repair_case_match_their_schemas(client, document, make_record, admin):
    """Case, task, letter, record, subject, check, dashboard and outbox answers, validated by the document."""
    schema = schemathesis.openapi.from_dict(document)
    app1, rev, admin = (token_for(client, name) for name in ("applicant1", "reviewer1", "admin1"))

    def valid(path: str, method: str, response, status: int):
        assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:500])
        schema[path][method].validate_response(response)
        return response.get_json() if response.mimetype == JSON else response

    record_id = make_record("2026-05-10")
    doc = valid("/api/v1/cases", "POST", file_request(client, app1, [record_id]), 201)
    review = open_task(doc, "first_review")  # received under Order 36: the office forwards, the department decides
    valid("/api/v1/tasks", "GET", client.get("/api/v1/tasks", headers=bearer(rev)), 200)
    claimed = valid("/api/v1/tasks/{task_id}/claim", "POST",
                    client.post(f"/api/v1/tasks/{review['id']}/claim", headers=bearer(rev)), 200)
    forwarded = valid("/api/v1/tasks/{task_id}/complete", "POST",
                      complete(client, rev, review["id"], claimed["version"], decision="forward"), 200)
    decision = open_task(forwarded, "department_decision")
    done = valid("/api/v1/tasks/{task_id}/complete", "POST",
                 complete(client, token_for(client, "dept1"), decision["id"], forwarded["version"], decision="approve"), 200)
    assert done["status"] == "completed" and done["closed_at"]
    valid("/api/v1/cases/{case_id}", "GET", client.get(f"/api/v1/cases/{doc['id']}", headers=bearer(app1)), 200)
    letter = done["letters"][-1]
    assert letter["status"] == "pending"  # numbered in the step, rendered after its commit
    waiting = valid("/api/v1/letters/{letter_id}.pdf", "GET", client.get(letter["url"], headers=bearer(app1)), 202)
    assert waiting["status"] == "pending" and waiting["number"] == letter["number"]
    drain_app_letters(client)
    letter = valid("/api/v1/letters/{letter_id}", "GET",
                   client.get(f"/api/v1/letters/{letter['id']}", headers=bearer(app1)), 200)
    pdf = valid("/api/v1/letters/{letter_id}.pdf", "GET", client.get(letter["url"], headers=bearer(app1)), 200)
    assert pdf.headers["ETag"].strip('"') == letter["sha256"]
    valid("/api/v1/records/{record_id}", "GET", client.get(f"/api/v1/records/{record_id}", headers=bearer(rev)), 200)
    valid("/api/v1/records", "GET", client.get("/api/v1/records", headers=bearer(rev)), 200)
    valid("/api/v1/subjects/{code}", "GET", client.get(f"/api/v1/subjects/{SUBJECT_A}", headers=bearer(app1)), 200)
    valid("/api/v1/check/{code}", "GET", client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(rev)), 200)
    valid("/api/v1/commitments/dashboard", "GET", client.get("/api/v1/commitments/dashboard", headers=bearer(rev)), 200)
    outbox = valid("/api/v1/outbox", "GET", client.get("/api/v1/outbox", headers=bearer(admin)), 200)
    assert outbox["items"]
