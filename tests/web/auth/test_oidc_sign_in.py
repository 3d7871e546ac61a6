"""Single sign-on against a real OpenID Connect provider (panva's oidc-provider on 127.0.0.1).

The whole authorization code flow runs: our login route, the provider's login and consent
pages, the provider's redirect back, our callback trading the code (with PKCE) for tokens.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import FederatedIdentity, User
from workflows.people.subjects import register_department

from tests.support.oidc import callback_path, provider_redirect, sign_in
from tests.support.web import PASSWORD, login


@pytest.fixture
def departments(store):
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        register_department(uow.session, "QZ-STHJ", "泉州市生态环境局")
        uow.commit()


def _user(store, username: str) -> User | None:
    with store.read() as session:
        return session.scalars(select(User).where(User.username == username)).first()


def _events(store, kind: str) -> list[CaseEvent]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.kind == kind).order_by(CaseEvent.id)))


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_login_page_offers_single_sign_on(sso_client):
    page = sso_client.get("/login?next=/desk/").get_data(as_text=True)
    assert "统一身份认证登录" in page and "/auth/oidc/login?next=/desk/" in page


def test_the_request_to_the_provider_carries_pkce_state_and_nonce(sso_client, identity_provider):
    location = sso_client.get("/auth/oidc/login").headers["Location"]
    assert location.startswith(identity_provider.issuer + "/auth?")  # found by discovery
    query = parse_qs(urlsplit(location).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://127.0.0.1:5000/auth/oidc/callback"]  # CREDIT_CASES_PUBLIC_URL
    assert query["scope"] == ["openid profile credit"]
    assert all(len(query[key][0]) >= 20 for key in ("state", "nonce", "code_challenge"))


def test_without_a_provider_there_is_no_button_and_no_route(client):
    assert "/auth/oidc/login" not in client.get("/login").get_data(as_text=True)
    assert client.get("/auth/oidc/login").status_code == 404
    assert client.get("/auth/oidc/callback?code=x&state=y").status_code == 404


def test_staff_is_provisioned_with_the_allowed_roles_and_department_of_the_claims(
        sso_client, identity_provider, store, departments):
    identity_provider.set_account("staff-001", preferred_username="zhang.san", name="张三",
                                  roles=["reviewer", "admin", "integration"], department="QZ-SCJG")
    response = sign_in(sso_client, identity_provider, "staff-001")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/desk"
    assert sso_client.get("/desk/").status_code == 200  # the session works on a protected page
    assert sso_client.get("/admin/users").status_code == 403  # `admin` is not the provider's to grant
    user = _user(store, "zhang.san")
    assert user.role_set == {"reviewer"} and user.department_code == "QZ-SCJG"
    assert user.display_name == "张三"
    with store.read() as session:
        link = session.scalars(select(FederatedIdentity)).one()
    assert (link.issuer, link.sub, link.user_id) == (identity_provider.issuer, "staff-001", user.id)
    [created] = _events(store, "federated_account_created")
    [signed_in] = _events(store, "federated_sign_in")
    assert created.case_id is None and created.actor == "zhang.san" and created.after["sub"] == "staff-001"
    assert signed_in.case_id is None and signed_in.after["roles"] == ["reviewer"]


def test_the_next_page_survives_the_round_trip(sso_client, identity_provider, store, departments):
    identity_provider.set_account("staff-002", preferred_username="li.si", roles="supervisor")
    response = sign_in(sso_client, identity_provider, "staff-002", start="/auth/oidc/login?next=/desk/?view=overdue")
    assert response.headers["Location"] == "/desk/?view=overdue"
    assert _user(store, "li.si").role_set == {"supervisor"}


def test_a_second_sign_in_finds_the_same_account_and_follows_changed_claims(
        sso_app, identity_provider, store, departments):
    identity_provider.set_account("staff-003", preferred_username="wang.wu", roles=["reviewer"],
                                  department="QZ-SCJG")
    assert sign_in(sso_app.test_client(), identity_provider, "staff-003").status_code == 302
    first = _user(store, "wang.wu")
    identity_provider.set_account("staff-003", preferred_username="renamed", name="王五",
                                  roles=["supervisor", "department"], department="QZ-STHJ")
    client = sso_app.test_client()
    assert sign_in(client, identity_provider, "staff-003").status_code == 302
    again = _user(store, "wang.wu")  # linked by (issuer, sub): the username claim does not matter now
    assert again.id == first.id and _user(store, "renamed") is None
    assert again.role_set == {"supervisor", "department"} and again.department_code == "QZ-STHJ"
    assert again.display_name == "王五"
    assert _count(store, FederatedIdentity) == 1 and _count(store, User) == 1
    updated = _events(store, "federated_sign_in")[-1]
    assert updated.before["roles"] == ["reviewer"] and updated.after["roles"] == ["department", "supervisor"]
    assert client.get("/desk/").status_code == 200


def test_a_local_account_with_the_same_username_is_not_taken_over(
        sso_client, identity_provider, store, users):
    before = _user(store, "admin1")
    identity_provider.set_account("impostor", preferred_username="admin1", roles=["reviewer"])
    response = sign_in(sso_client, identity_provider, "impostor")
    assert response.status_code == 302
    assert sso_client.get("/admin/users").status_code == 403
    local = _user(store, "admin1")
    assert (local.role_set, local.password_hash) == ({"admin"}, before.password_hash)
    with store.read() as session:
        link = session.scalars(select(FederatedIdentity)).one()
        federated = session.get(User, link.user_id)
    assert federated.id != local.id and federated.username.startswith("admin1.")
    assert federated.role_set == {"reviewer"}
    assert login(sso_client.application.test_client(), "admin1", PASSWORD).status_code == 302


def test_a_provisioned_account_has_no_password(sso_app, identity_provider, store):
    identity_provider.set_account("staff-004", preferred_username="zhao.liu", roles=["reviewer"])
    sign_in(sso_app.test_client(), identity_provider, "staff-004")
    response = sso_app.test_client().post("/api/v1/auth/token", json={"username": "zhao.liu", "password": "x"})
    assert response.status_code == 401


def test_cancelling_at_the_provider_ends_on_the_login_page_with_no_account(sso_client, identity_provider, store):
    identity_provider.set_account("staff-005", preferred_username="qian.qi", roles=["reviewer"])
    response = sign_in(sso_client, identity_provider, "staff-005", cancel=True)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "统一身份认证登录已取消或被拒绝" in page
    assert 'action="/login"' in page  # the password form still works from here
    assert _count(store, User) == 0 and _count(store, FederatedIdentity) == 0
    assert sso_client.get("/desk/").status_code == 302  # still anonymous


def test_a_forged_or_replayed_state_is_refused(sso_client, identity_provider, store):
    identity_provider.set_account("staff-006", preferred_username="sun.ba", roles=["reviewer"])
    url = provider_redirect(sso_client, identity_provider, "staff-006")
    query = parse_qs(urlsplit(url).query)
    forged = sso_client.get("/auth/oidc/callback?" + urlencode({"code": query["code"][0], "state": "forged"}))
    assert forged.status_code == 400 and "登录请求已过期或无效" in forged.get_data(as_text=True)
    assert sso_client.get(callback_path(url)).status_code == 302  # the real answer still works once
    sso_client.post("/logout")
    replayed = sso_client.get(callback_path(url))
    assert replayed.status_code == 400 and "登录请求已过期或无效" in replayed.get_data(as_text=True)
    assert _count(store, User) == 1


def test_a_code_the_provider_did_not_issue_is_refused(sso_client, identity_provider, store):
    identity_provider.set_account("staff-007", preferred_username="zhou.jiu", roles=["reviewer"])
    url = provider_redirect(sso_client, identity_provider, "staff-007")
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    response = sso_client.get("/auth/oidc/callback?" + urlencode({**query, "code": "not-a-code"}))
    assert response.status_code == 400
    assert "无法验证统一身份认证平台返回的身份信息" in response.get_data(as_text=True)
    assert _count(store, User) == 0


def test_an_error_from_the_provider_is_shown_not_raised(sso_client, store):
    response = sso_client.get("/auth/oidc/callback?error=server_error&state=x")
    assert response.status_code == 400
    assert "统一身份认证平台拒绝了本次登录（server_error）" in response.get_data(as_text=True)
    assert _count(store, User) == 0


def test_an_answer_naming_another_issuer_is_refused(sso_client, identity_provider, store):
    identity_provider.set_account("staff-008", preferred_username="wu.shi", roles=["reviewer"])
    url = provider_redirect(sso_client, identity_provider, "staff-008")
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    response = sso_client.get("/auth/oidc/callback?" + urlencode({**query, "iss": "http://127.0.0.1:1"}))
    assert response.status_code == 400 and _count(store, User) == 0


def test_an_unknown_department_refuses_the_sign_in_and_creates_nothing(sso_client, identity_provider, store):
    identity_provider.set_account("staff-009", preferred_username="zheng.yi", roles=["department"],
                                  department="QZ-NOPE")
    response = sign_in(sso_client, identity_provider, "staff-009")
    assert response.status_code == 400
    assert "部门 QZ-NOPE 未在本系统登记" in response.get_data(as_text=True)
    assert _count(store, User) == 0 and _count(store, FederatedIdentity) == 0
