"""The API twins of the bell and the settings page: list, mark read, read and change settings
(422 with the field named for a bad address; nothing changed)."""
from __future__ import annotations

from tests.support.web import headers
from tests.web.notifications.helpers import assign, filed_case


def test_list_and_mark_read_through_the_api(client, clock, make_record):
    for days in (140, 141):
        assign(client, filed_case(client, clock, make_record, days))
    auth = headers(client, "reviewer1")
    listing = client.get("/api/v1/notifications?limit=1", headers=auth).get_json()
    assert listing["unread"] == 2 and len(listing["items"]) == 1 and listing["next_cursor"]
    newest = listing["items"][0]
    assert newest["kind"] == "task_assigned" and not newest["read"] and newest["created_at"].endswith("+08:00")
    older = client.get(f"/api/v1/notifications?cursor={listing['next_cursor']}", headers=auth).get_json()
    [second] = older["items"]
    assert second["id"] < newest["id"] and second["kind"] == "task_assigned" and older["next_cursor"] is None
    assert client.post(f"/api/v1/notifications/{newest['id']}/read", headers=auth).get_json() == {"read": 1, "unread": 1}
    other = headers(client, "reviewer2")
    assert client.post(f"/api/v1/notifications/{second['id']}/read", headers=other).status_code == 404
    assert client.post("/api/v1/notifications/read", headers=auth).get_json() == {"read": 1, "unread": 0}


def test_settings_through_the_api(client, world):
    auth = headers(client, "applicant1")
    start = client.get("/api/v1/account/notifications", headers=auth).get_json()
    assert start["email"] == "" and set(start["groups"]) == {"case_update", "account"}
    refused = client.put("/api/v1/account/notifications", headers=auth, json={"email": "not an address"})
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"email": "电子邮箱地址格式不正确"}
    refused = client.put("/api/v1/account/notifications", headers=auth, json={"mobile": "0595-1234"})
    assert refused.status_code == 422 and "mobile" in refused.get_json()["fields"]
    assert client.get("/api/v1/account/notifications", headers=auth).get_json() == start  # nothing changed
    saved = client.put("/api/v1/account/notifications", headers=auth,
                       json={"email": "boss@qingyuan.example.cn", "email_groups": ["account"]}).get_json()
    assert saved["email"] == "boss@qingyuan.example.cn" and saved["email_groups"] == ["account"]
    assert client.put("/api/v1/account/notifications", headers=auth, json={"email": 5}).status_code == 400
