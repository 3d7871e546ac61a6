"""Never a 500: every API route that takes a body, and every listed query parameter, answered
with hostile values (huge text, a lone surrogate, NUL, deep nesting, ids above 2^63−1, an
object where a scalar belongs) as an admin and as an applicant. The routes come from the
OpenAPI document, so a new route is fuzzed without being named here."""
from __future__ import annotations

import re

import pytest

from tests.support.api_cases import SUBJECT_A, file_request, open_task
from tests.support.hostile import HUGE_INT, NUL, SURROGATE, raw_json
from tests.support.training import SESSION
from tests.support.web import bearer, token_for

HOSTILE = ("长" * 100_000, SURROGATE, NUL, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
           HUGE_INT, {"a": {"b": [1, "²"]}})
QUERY_VALUES = (NUL, "²", "9" * 30, "-1", "长" * 5000, "0001-01-01T00:00:00+08:00")
FORM_KEYS = ("record_ids", "reason", "rectification", "commitment_accepted", "training_certificate_no", "target",
             "claim", "evidence", "commitment_type", "matter", "content", "liability", "valid_until", "verify_on",
             "disclosure", "department_code", "interview_kind", "scheduled_at", "place", "officers", "materials",
             "warning_id")
BODY_KEYS = ("data", "version", "note", "reason", "place", "scheduled_at", "kind", "form", "record_ids", "context",
             "type", "changes", "subject_code", "attendee", "attended", "assignee", "fulfilment")
_PATH_ARG = re.compile(r"\{(\w+)\}")


@pytest.fixture
def targets(client, store, admin, make_record) -> dict[str, str]:
    """Real ids for the path parameters, so requests reach the operations behind the routes."""
    record_id = make_record("2026-05-10")
    case = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    client.post("/api/v1/training/sessions", headers=bearer(token_for(client, "admin1")), json=SESSION)
    return {"int": "1", "task_id": open_task(case, "first_review")["id"], "code": SUBJECT_A, "username": "applicant1",
            "number": "PX-1", "day": "2026-10-02", "attachment_id": "x"}


def _operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _url(path: str, operation: dict, targets: dict[str, str]) -> str:
    kinds = {p["name"]: p["schema"].get("type") for p in operation.get("parameters", []) if p["in"] == "path"}
    return _PATH_ARG.sub(lambda m: targets["int"] if kinds.get(m[1]) == "integer" else targets.get(m[1], "x"), path)


def _bodies(operation: dict) -> list[object]:
    schema = (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema", {})
    keys = tuple(schema.get("properties") or ()) or BODY_KEYS
    bodies: list[object] = [[1, 2], "text"]
    for value in HOSTILE:
        bodies.append({key: value for key in keys})
        bodies.append({"kind": "interview", "subject_code": SUBJECT_A, "form": {key: value for key in FORM_KEYS}})
    return bodies


@pytest.mark.parametrize("username", ["admin1", "applicant1"])
def test_no_api_route_answers_500_to_hostile_input(client, targets, username):
    headers = {**bearer(token_for(client, username)), "Content-Type": "application/json"}
    failures = []
    for path, method, operation in _operations(client):
        url = _url(path, operation, targets)
        if method in ("post", "put", "patch"):
            for body in _bodies(operation):
                response = client.open(url, method=method.upper(), headers=headers, data=raw_json(body))
                if response.status_code >= 500:
                    failures.append((method, url, str(body)[:80], response.status_code))
        for parameter in [p for p in operation.get("parameters", []) if p["in"] == "query"]:
            for value in QUERY_VALUES:
                response = client.open(url, method=method.upper(), headers=headers,
                                       query_string={parameter["name"]: value})
                if response.status_code >= 500:
                    failures.append((method, url, f"?{parameter['name']}={value[:20]!r}", response.status_code))
    assert not failures, failures
