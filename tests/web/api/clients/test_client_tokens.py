"""A system client's token at work: it may do exactly its scopes (403 elsewhere), its calls carry
`client:<name>`, and a rotated-away or revoked token is 401 in the API.md error shape."""
from __future__ import annotations

from tests.support.clients import client_events
from tests.support.records import record_data
from tests.support.subjects import COMPANY
from tests.support.web import bearer

CLIENTS = "/api/v1/admin/clients"
CHECK, OUTBOX, RECORDS = f"/api/v1/check/{COMPANY}", "/api/v1/outbox", "/api/v1/records"
INVALID_TOKEN = {"error": "invalid_token", "message": "访问令牌无效或已过期。", "fields": {}}


def make(client, admin, name: str, *scopes: str, department: str | None = None) -> tuple[int, dict[str, str]]:
    """A new client's id and its bearer header."""
    made = client.post(CLIENTS, json={"name": name, "scopes": list(scopes), "department_code": department},
                       headers=admin)
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"], bearer(made.get_json()["token"])


def test_a_check_only_client_checks_and_nothing_else(client, admin):
    _id, checker = make(client, admin, "gov-portal", "check")
    checked = client.get(CHECK, headers=checker)
    assert checked.status_code == 200 and checked.get_json()["code"] == COMPANY
    for method, path in (("get", OUTBOX), ("post", RECORDS), ("post", "/api/v1/cases"), ("get", RECORDS),
                         ("get", CLIENTS), ("get", "/api/v1/tasks")):
        refused = getattr(client, method)(path, json={} if method == "post" else None, headers=checker)
        assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden", (method, path)
    assert client.get("/desk/", headers=checker).status_code == 403


def test_an_outbox_client_reads_the_outbox_only(client, admin):
    _id, reader = make(client, admin, "credit-platform", "outbox")
    assert client.get(OUTBOX, headers=reader).status_code == 200
    assert client.get(CHECK, headers=reader).status_code == 403
    assert client.post(RECORDS, json=record_data(), headers=reader).status_code == 403


def test_a_records_client_writes_its_own_departments_records_as_itself(client, admin, store):
    _id, writer = make(client, admin, "scjg-penalties", "records_write", department="QZ-SCJG")
    made = client.post(RECORDS, json=record_data(), headers=writer)
    assert made.status_code == 201, made.get_json()
    assert [(h["action"], h["actor"]) for h in made.get_json()["history"]] == [("created", "client:scjg-penalties")]
    other = client.post(RECORDS, json=record_data(department_code="XM-YJ", department_name="厦门市应急管理局",
                                                  decision_no="厦应急罚〔2026〕1号"), headers=writer)
    assert other.status_code == 403 and other.get_json()["fields"] == {"department_code": "应为本部门代码 QZ-SCJG"}
    assert client.get(CHECK, headers=writer).status_code == 403
    assert client.get(f"/api/v1/records/{made.get_json()['id']}", headers=writer).status_code == 404


def test_rotation_and_revocation_answer_401_and_are_audited(client, admin, store):
    client_id, old = make(client, admin, "exchange", "check", "outbox")
    rotated = client.post(f"{CLIENTS}/{client_id}/rotate", headers=admin)
    assert rotated.status_code == 200 and rotated.headers["Cache-Control"] == "no-store"
    new = bearer(rotated.get_json()["token"])
    stale = client.get(CHECK, headers=old)
    assert stale.status_code == 401 and stale.get_json() == INVALID_TOKEN
    assert stale.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(CHECK, headers=new).status_code == 200
    revoked = client.post(f"{CLIENTS}/{client_id}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.get_json()["active"] is False
    assert client.get(CHECK, headers=new).get_json() == INVALID_TOKEN
    assert client.get(OUTBOX, headers=new).status_code == 401
    assert [(e.kind, e.actor) for e in client_events(store)] == [
        ("client_created", "admin1"), ("client_token_rotated", "admin1"), ("client_revoked", "admin1")]


def test_a_client_cannot_sign_its_own_token_out(client, admin):
    _id, checker = make(client, admin, "checker", "check")
    assert client.delete("/api/v1/auth/token", headers=checker).status_code == 400
    assert client.get(CHECK, headers=checker).status_code == 200


def test_last_use_shows_in_the_list(client, admin, clock):
    _id, checker = make(client, admin, "checker", "check")
    assert client.get(CLIENTS, headers=admin).get_json()["items"][0]["last_used_at"] is None
    client.get(CHECK, headers=checker)
    listed = client.get(CLIENTS, headers=admin).get_json()["items"][0]
    assert listed["last_used_at"] == "2026-09-30T10:00:00+08:00"
