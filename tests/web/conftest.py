"""Web fixtures: an app over a real migrated database (SQLite and PostgreSQL), a frozen clock.

`bpmn_dir` is an empty folder so the app starts fast; tests that need flows override it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from workflows.core.config import Settings
from workflows.runtime import Runtime, build_runtime
from workflows.people.users import create_user

from ..flow_kinds import product_and_test_kinds

PASSWORD = "correct horse 42"
USERS = {
    "admin1": (["admin"], {"display_name": "王管理"}),
    "reviewer1": (["reviewer"], {"display_name": "李审核"}),
}


@pytest.fixture
def bpmn_dir(tmp_path) -> Path:
    path = tmp_path / "bpmn"
    path.mkdir()
    return path


@pytest.fixture
def runtime(db_url, clock, tmp_path, bpmn_dir) -> Iterator[Runtime]:
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir,
                        secret_key="test-secret")
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()


@pytest.fixture
def app(runtime) -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime})


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def users(store, clock) -> dict[str, str]:
    """The standard users, all with `PASSWORD`; returns username -> role."""
    with store.write() as uow:
        for username, (roles, extra) in USERS.items():
            create_user(uow.session, username, PASSWORD, roles, clock.now(), **extra)
        uow.commit()
    return {name: roles[0] for name, (roles, _extra) in USERS.items()}


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def token_for(client: FlaskClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page (login form or the navbar's logout form)."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert match, "no CSRF token on the page"
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)
