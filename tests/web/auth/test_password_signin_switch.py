"""Local passwords stay available, but can be switched off per role (those sign in through SSO only).

CREDIT_CASES_PASSWORD_SIGNIN_DISABLED_ROLES=reviewer here: the reviewer's right password is refused on
the login form and on the API token endpoint with a message pointing to the unified identity
platform; other roles still sign in with their passwords, and a wrong password says nothing more.
"""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from webapp import create_app
from workflows.core.config import OidcSettings, Settings
from workflows.core.models.people import LoginFailure, User
from workflows.runtime import build_runtime

from tests.support.flow_kinds import product_and_test_kinds
from tests.support.oidc import sign_in
from tests.support.web import PASSWORD, login

SSO_MESSAGE = "您的账号角色已停用账号密码登录，请通过统一身份认证登录"


@pytest.fixture
def password_disabled_roles() -> frozenset[str]:
    return frozenset({"reviewer"})


def _failures(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(LoginFailure))


def test_the_form_refuses_the_password_of_a_switched_off_role_and_points_to_sso(sso_client, users, store):
    response = login(sso_client, "reviewer1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and SSO_MESSAGE in page and "统一身份认证登录" in page
    assert sso_client.get("/desk/").status_code == 302  # not signed in
    assert _failures(store) == 0  # the right password is not a failed guess


def test_the_token_endpoint_refuses_it_too(sso_client, users):
    response = sso_client.post("/api/v1/auth/token", json={"username": "reviewer1", "password": PASSWORD})
    assert response.status_code == 403
    body = response.get_json()
    assert body["error"] == "password_signin_disabled" and SSO_MESSAGE in body["message"]


def test_a_wrong_password_gets_the_usual_answer(sso_client, users, store):
    response = login(sso_client, "reviewer1", "wrong password 1")
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert SSO_MESSAGE not in response.get_data(as_text=True)
    token = sso_client.post("/api/v1/auth/token", json={"username": "reviewer1", "password": "wrong password 1"})
    assert token.status_code == 401
    assert _failures(store) == 2


def test_other_roles_still_sign_in_with_their_passwords(sso_app, users):
    assert login(sso_app.test_client(), "admin1").status_code == 302
    token = sso_app.test_client().post("/api/v1/auth/token", json={"username": "admin1", "password": PASSWORD})
    assert token.status_code == 201


def test_the_switched_off_role_signs_in_through_the_provider(sso_client, identity_provider, store):
    identity_provider.set_account("reviewer-sso", preferred_username="reviewer9", roles=["reviewer"])
    assert sign_in(sso_client, identity_provider, "reviewer-sso").headers["Location"] == "/desk"
    assert sso_client.get("/desk/").status_code == 200


def test_an_unreachable_provider_is_a_message_on_the_login_page(db_url, clock, tmp_path, bpmn_dir, store):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        oidc=OidcSettings(issuer=f"http://127.0.0.1:{port}", client_id="x", client_secret="y"))
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    try:
        client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime}).test_client()
        response = client.get("/auth/oidc/login")
        assert response.status_code == 400
        assert "暂时无法连接统一身份认证平台" in response.get_data(as_text=True)
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 0
    finally:
        runtime.close()


def test_unknown_roles_in_the_configuration_stop_the_app(db_url, clock, tmp_path, bpmn_dir):
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        password_signin_disabled_roles=frozenset({"reviewers"}))
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    try:
        with pytest.raises(ValueError, match="reviewers"):
            create_app({"TESTING": True, "RUNTIME": runtime})
    finally:
        runtime.close()
