"""Session login for people: argon2 passwords, generic failures, role landing, CSRF."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.web import PASSWORD, csrf_token_from, login
from webapp import create_app
from workflows.core.models.calendar import CalendarOverride
from workflows.people.users import create_user, find_user

FAILED = "用户名或密码错误"


def test_password_is_stored_as_argon2_hash(users, store):
    with store.read() as session:
        user = find_user(session, "admin1")
        assert user.password_hash.startswith("$argon2")
        assert PASSWORD not in user.password_hash


def test_login_success_lands_on_home_and_shows_name_and_role(client, users):
    response = login(client, "admin1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/desk"  # staff land on the desk
    page = client.get("/").get_data(as_text=True)
    assert "王管理" in page and "信用办" in page
    assert "工作日历" in page  # what an admin can do


def test_failed_login_gives_the_same_message_for_either_field(client, users):
    wrong_password = login(client, "admin1", "not the password").get_data(as_text=True)
    unknown_user = login(client, "nobody", PASSWORD).get_data(as_text=True)
    assert FAILED in wrong_password and FAILED in unknown_user
    assert client.get("/").status_code == 302  # still anonymous


def test_empty_fields_are_reported_in_chinese(client, users):
    page = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "请填写用户名" in page and "请填写密码" in page


def test_anonymous_is_sent_to_login_and_back(client, users):
    response = client.get("/admin/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    back = client.post("/login?next=/admin/calendar",
                       data={"username": "admin1", "password": PASSWORD})
    assert back.headers["Location"] == "/admin/calendar"


def test_next_never_leaves_the_site(client, users):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(f"/login?next={target}",
                               data={"username": "admin1", "password": PASSWORD})
        assert response.headers["Location"] == "/desk"  # the safe default landing page
        client.post("/logout")


def test_wrong_role_gets_a_chinese_403_page(client, users):
    login(client, "reviewer1")
    response = client.get("/admin/calendar")
    assert response.status_code == 403
    assert "无权" in response.get_data(as_text=True)


def test_logout_ends_the_session(client, users):
    login(client, "admin1")
    assert client.get("/logout").status_code == 200  # a confirmation page, not a logout
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_password_change_ends_existing_sessions(client, users, store, clock):
    login(client, "admin1")
    with store.write() as uow:
        create_user(uow.session, "admin1", "a new password", ["admin"], clock.now())
        uow.commit()
    assert client.get("/").status_code == 302


def test_form_post_without_csrf_token_is_rejected(runtime, users, store):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "RUNTIME": runtime})
    client = app.test_client()
    rejected = client.post("/login", data={"username": "admin1", "password": PASSWORD})
    assert rejected.status_code == 400
    assert "表单已过期或无效" in rejected.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    accepted = client.post("/login", data={"username": "admin1", "password": PASSWORD,
                                           "csrf_token": token})
    assert accepted.status_code == 302
    forged = client.post("/admin/calendar", data={"day": "2026-10-02", "kind": "working"})
    assert forged.status_code == 400
    with store.read() as session:
        assert session.scalars(select(CalendarOverride)).all() == []
