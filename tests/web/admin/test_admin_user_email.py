"""The e-mail address on the admin's create and edit pages (and the API twin): checked with
email-validator, a bad one refused beside its field with the input kept (SQLite and PostgreSQL)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.web import headers, login
from workflows.core.models.people import User

NEW = {"username": "reviewer9", "display_name": "审核 林九", "password": "long enough 9x", "roles": ["reviewer"]}
FEEDBACK = r'id="email"[^>]*value="{}"[^>]*>\s*<div class="invalid-feedback[^"]*">\s*电子邮箱地址格式不正确'


def _email(store, username: str) -> str | None:
    with store.read() as session:
        return session.scalars(select(User.email).where(User.username == username)).first()


@pytest.fixture
def admin(client, users):
    login(client, "admin1")
    return client


def test_creating_with_a_bad_address_keeps_the_form_and_creates_nobody(admin, store):
    response = admin.post("/admin/users", data={**NEW, "email": "lin9.example.com"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(FEEDBACK.format(re.escape("lin9.example.com")), html), html
    assert 'value="reviewer9"' in html and 'value="审核 林九"' in html
    with store.read() as session:
        assert session.scalars(select(User).where(User.username == "reviewer9")).first() is None


def test_created_and_edited_addresses_are_stored(admin, store):
    assert admin.post("/admin/users", data={**NEW, "email": "lin9@qz.gov.cn"}).status_code == 302
    assert _email(store, "reviewer9") == "lin9@qz.gov.cn"
    edit = {"display_name": "审核 林九", "roles": ["reviewer"]}
    bad = admin.post("/admin/users/reviewer9", data={**edit, "email": "lin9@"})
    assert bad.status_code == 400
    assert re.search(FEEDBACK.format("lin9@"), bad.get_data(as_text=True))
    assert _email(store, "reviewer9") == "lin9@qz.gov.cn"  # unchanged by the refusal
    assert "lin9@qz.gov.cn" in admin.get("/admin/users/reviewer9").get_data(as_text=True)
    assert admin.post("/admin/users/reviewer9", data={**edit, "email": "l9@qz.gov.cn"}).status_code == 302
    assert _email(store, "reviewer9") == "l9@qz.gov.cn"


def test_the_api_twin_checks_the_address_and_leaves_it_when_not_sent(client, users, store):
    auth = headers(client, "admin1")
    bad = client.post("/api/v1/admin/users", json={**NEW, "email": "not an address"}, headers=auth)
    assert bad.status_code == 400 and bad.get_json()["fields"]["email"] == "电子邮箱地址格式不正确"
    made = client.post("/api/v1/admin/users", json={**NEW, "email": "lin9@qz.gov.cn"}, headers=auth)
    assert made.status_code == 201, made.get_json()
    changed = client.patch("/api/v1/admin/users/reviewer9", json={"roles": ["reviewer", "supervisor"]}, headers=auth)
    assert changed.status_code == 200 and changed.get_json()["email"] == "lin9@qz.gov.cn"
    assert _email(store, "reviewer9") == "lin9@qz.gov.cn"
