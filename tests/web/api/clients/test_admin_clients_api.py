"""`/api/v1/admin/clients`: the twins of /admin/clients — create (token in this answer only),
list, rotate, revoke; refusals in the API.md shape, nothing stored."""
from __future__ import annotations

import pytest

from tests.support.clients import client_events, every_stored_text, stored_clients
from tests.support.web import headers

CLIENTS = "/api/v1/admin/clients"


def test_create_answers_the_token_once_and_lists_only_its_prefix(client, admin, store):
    made = client.post(CLIENTS, json={"name": "tax", "scopes": ["check", "outbox", "check"],
                                      "description": "省税务局综合征管系统"}, headers=admin)
    body = made.get_json()
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    assert (body["name"], body["actor"], body["scopes"], body["active"]) == (
        "tax", "client:tax", ["check", "outbox"], True)
    assert body["token"].startswith(body["token_prefix"]) and body["created_by"] == "admin1"
    listing = client.get(CLIENTS, headers=admin)
    assert body["token"] not in listing.get_data(as_text=True) and body["token"] not in every_stored_text(store)
    [row] = listing.get_json()["items"]
    assert "token" not in row and row["token_prefix"] == body["token_prefix"]


@pytest.mark.parametrize(("payload", "status", "fields"), [
    ({"name": "", "scopes": ["check"]}, 400, {"name": "请填写客户端名称"}),
    ({"name": "x" * 58, "scopes": ["check"]}, 400, {"name": "客户端名称不超过57个字符"}),
    ({"name": "tax", "scopes": ["check", "write_everything"]}, 400,
     {"scopes": "未知权限范围：write_everything（可选：check、outbox、records_write）"}),
    ({"name": "tax", "scopes": "check"}, 400, {"scopes": "取值列表：check, outbox, records_write"}),
    ({"name": "tax", "scopes": []}, 400, {"scopes": "请至少选择一项权限范围"}),
    ({"name": 7, "scopes": ["check"]}, 400, {"name": "应为文本"}),
    ({"name": "tax", "scopes": ["records_write"], "department_code": "QZ-NONE"}, 400,
     {"department_code": "部门 QZ-NONE 不存在"}),
    ({"name": "taken", "scopes": ["outbox"]}, 409, {"name": "该名称已被使用"}),
])
def test_bad_input_is_refused_and_nothing_is_stored(client, admin, store, payload, status, fields):
    assert client.post(CLIENTS, json={"name": "taken", "scopes": ["check"]}, headers=admin).status_code == 201
    refused = client.post(CLIENTS, json=payload, headers=admin)
    assert refused.status_code == status and refused.get_json()["fields"] == fields
    assert refused.get_json()["error"] == ("conflict" if status == 409 else "invalid")
    assert [c.name for c in stored_clients(store)] == ["taken"] and len(client_events(store)) == 1


def test_only_admins_manage_clients(client, admin, store):
    client_id = client.post(CLIENTS, json={"name": "tax", "scopes": ["check"]}, headers=admin).get_json()["id"]
    reviewer = headers(client, "reviewer1")
    assert client.get(CLIENTS, headers=reviewer).status_code == 403
    assert client.post(CLIENTS, json={"name": "x", "scopes": ["check"]}, headers=reviewer).status_code == 403
    assert client.post(f"{CLIENTS}/{client_id}/rotate", headers=reviewer).status_code == 403
    assert client.post(f"{CLIENTS}/{client_id}/revoke", headers=reviewer).status_code == 403
    assert client.get(CLIENTS).status_code == 401
    assert client.post(f"{CLIENTS}/999/revoke", headers=admin).status_code == 404
    client.post(f"{CLIENTS}/{client_id}/revoke", headers=admin)
    again = client.post(f"{CLIENTS}/{client_id}/rotate", headers=admin)
    assert again.status_code == 409 and "已吊销" in again.get_json()["message"]
    assert [c.active for c in stored_clients(store)] == [False]


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {CLIENTS, f"{CLIENTS}/{{client_id}}/rotate", f"{CLIENTS}/{{client_id}}/revoke"} <= set(paths)
