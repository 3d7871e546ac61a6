"""Bearer tokens for the API: issue, use, expiry, revocation; 401/403 in the API shape."""
from __future__ import annotations

from datetime import datetime

from webapp import create_app
from workflows.people.tokens import hash_token
from workflows.core.models.people import ApiToken

from tests.support.web import PASSWORD, bearer, csrf_token_from, login, token_for

OVERRIDE = {"day": "2026-10-02", "working": True, "note": "测试"}


def _assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error", "message", "fields"}
    assert body["error"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])  # Chinese for people
    return body


def test_token_is_issued_with_local_expiry_and_stored_hashed(client, users, store):
    response = client.post("/api/v1/auth/token", json={"username": "admin1", "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert body["expires_at"] == "2026-09-30T22:00:00+08:00"  # 12 hours after the frozen now
    assert datetime.fromisoformat(body["expires_at"]).utcoffset().total_seconds() == 8 * 3600
    with store.read() as session:
        assert session.get(ApiToken, hash_token(body["token"])) is not None
        assert session.get(ApiToken, body["token"]) is None


def test_bad_credentials_get_401_without_saying_which(client, users):
    wrong = client.post("/api/v1/auth/token", json={"username": "admin1", "password": "nope nope"})
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": PASSWORD})
    assert _assert_error_shape(wrong, 401, "invalid_credentials") == unknown.get_json()


def test_malformed_token_request_is_400(client, users):
    _assert_error_shape(client.post("/api/v1/auth/token", data="x"), 400, "invalid")
    body = _assert_error_shape(client.post("/api/v1/auth/token", json={"username": "admin1"}),
                               400, "invalid")
    assert "password" in body["fields"]


def test_bearer_token_authorizes_the_api(client, users):
    token = token_for(client, "admin1")
    response = client.post("/api/v1/calendar/overrides", json=OVERRIDE, headers=bearer(token))
    assert response.status_code == 201
    assert response.get_json()["created_by"] == "admin1"


def test_missing_invalid_and_expired_tokens_get_401(client, users, clock):
    _assert_error_shape(client.get("/api/v1/calendar/overrides"), 401, "unauthorized")
    _assert_error_shape(client.get("/api/v1/calendar/overrides", headers=bearer("forged")),
                        401, "invalid_token")
    _assert_error_shape(client.get("/api/v1/calendar/overrides",
                                   headers={"Authorization": "Basic YWRtaW4="}), 401, "invalid_token")
    token = token_for(client, "admin1")
    assert client.get("/api/v1/calendar/overrides", headers=bearer(token)).status_code == 200
    clock.advance(hours=12, seconds=1)
    expired = client.get("/api/v1/calendar/overrides", headers=bearer(token))
    _assert_error_shape(expired, 401, "invalid_token")
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working(client, users):
    token = token_for(client, "admin1")
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    _assert_error_shape(client.get("/api/v1/calendar/overrides", headers=bearer(token)),
                        401, "invalid_token")


def test_role_check_gives_403_in_api_shape(client, users, store):
    token = token_for(client, "reviewer1")
    response = client.post("/api/v1/calendar/overrides", json=OVERRIDE, headers=bearer(token))
    _assert_error_shape(response, 403, "forbidden")
    assert client.get("/api/v1/calendar/overrides", headers=bearer(token)).get_json()["items"] == []


def test_browser_session_needs_the_csrf_header_for_unsafe_api_calls(runtime, users):
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "RUNTIME": runtime}).test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin1", "password": PASSWORD, "csrf_token": token})
    token = csrf_token_from(client.get("/").get_data(as_text=True))  # login starts a new session
    assert client.get("/api/v1/calendar/overrides").status_code == 200  # reads are fine
    _assert_error_shape(client.post("/api/v1/calendar/overrides", json=OVERRIDE), 400, "csrf_failed")
    ok = client.post("/api/v1/calendar/overrides", json=OVERRIDE, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


def test_session_login_helper_still_works_for_api_reads(client, users):
    login(client, "reviewer1")
    assert client.get("/api/v1/calendar/overrides").status_code == 200
