"""Password guessing is throttled: five failures lock a username for 15 minutes (form and API)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.support.web import PASSWORD, login
from workflows.core.models.people import LoginFailure

LOCKED = "登录失败次数过多"


def _fail(client, username="reviewer1", times=5):
    for _ in range(times):
        assert "用户名或密码错误" in login(client, username, "wrong password").get_data(as_text=True)


def test_fifth_failure_locks_the_username_even_for_the_right_password(client, users, clock):
    _fail(client)
    page = login(client, "reviewer1")  # right password, but locked: not even checked
    assert page.status_code == 200 and LOCKED in page.get_data(as_text=True)
    assert "10:15" in page.get_data(as_text=True)  # 15 minutes after the first failure at 10:00
    assert client.get("/desk/").status_code == 302  # still anonymous
    assert login(client, "admin1").status_code == 302  # other usernames are not affected


def test_lock_ends_after_the_window_and_success_clears_the_count(client, users, clock, store):
    _fail(client)
    clock.set(clock.now() + timedelta(minutes=15, seconds=1))
    assert login(client, "reviewer1").status_code == 302
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)
                              .where(LoginFailure.username == "reviewer1")) == 0


def test_four_failures_do_not_lock(client, users):
    _fail(client, times=4)
    assert login(client, "reviewer1").status_code == 302


def test_one_address_trying_many_usernames_is_locked(client, users):
    for n in range(20):
        login(client, f"guess{n}", "wrong password")
    page = login(client, "admin1").get_data(as_text=True)
    assert LOCKED in page


def test_api_token_endpoint_answers_429_with_retry_after(client, users, clock):
    for _ in range(5):
        wrong = client.post("/api/v1/auth/token", json={"username": "reviewer1", "password": "nope"})
        assert wrong.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": "reviewer1", "password": PASSWORD})
    assert locked.status_code == 429
    body = locked.get_json()
    assert body["error"] == "too_many_attempts" and LOCKED in body["message"] and body["fields"] == {}
    assert int(locked.headers["Retry-After"]) == 15 * 60
