"""The applicant's e-mail address asked at registration: optional, checked with email-validator,
a bad one refused beside its field with everything typed kept (SQLite and PostgreSQL)."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.portal import page
from workflows.core.models.people import User


def registration(**changes: str) -> dict[str, str]:
    form = {"username": "newco", "password": "long enough 1", "confirm": "long enough 1",
            "display_name": "王五", "phone": "13805951234"}
    return {**form, **changes}


def _user(store, username: str) -> User | None:
    with store.read() as session:
        return session.scalars(select(User).where(User.username == username)).first()


def test_a_bad_address_is_refused_beside_its_field_and_the_input_kept(client, store, portal_world):
    response = client.post("/portal/register", data=registration(email="wang@@example"))
    html = page(response)
    assert response.status_code == 400
    assert re.search(r'id="email"[^>]*value="wang@@example"[^>]*>\s*<div class="invalid-feedback[^"]*">'
                     r'\s*电子邮箱地址格式不正确', html), html
    assert 'value="王五"' in html and 'value="13805951234"' in html
    assert _user(store, "newco") is None


def test_the_address_is_stored_normalised_and_may_be_left_out(client, store, portal_world):
    assert client.post("/portal/register", data=registration(email=" Wang.Wu@Example.COM ")).status_code == 302
    assert _user(store, "newco").email == "Wang.Wu@example.com"
    client.post("/logout")
    assert client.post("/portal/register", data=registration(username="newco2")).status_code == 302
    assert _user(store, "newco2").email is None
