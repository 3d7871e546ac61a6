"""Web test helpers: the test users' password, logging in, API tokens, CSRF tokens."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

PASSWORD = "correct horse 42"


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def token_for(client: FlaskClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def headers(client: FlaskClient, username: str) -> dict[str, str]:
    """A bearer header for `username` (who has `PASSWORD`)."""
    return bearer(token_for(client, username))


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page (login form or the navbar's logout form)."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert match, "no CSRF token on the page"
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    """The page at `path`, after checking its status."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)
