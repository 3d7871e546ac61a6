"""`sign_in_federated`: what the provider's verified claims mean here (the protocol is tested in
tests/web/auth/test_oidc_sign_in.py against a real provider)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from workflows.core.config import DEFAULT_IDP_ROLES, ClaimMapping, OidcSettings, Settings, load_oidc
from workflows.core.errors import InvalidInput
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import FederatedIdentity, User
from workflows.people.federation import configuration_problems, sign_in_federated
from workflows.people.subjects import register_department
from workflows.people.users import authenticate, create_user

ISSUER = "https://idp.example.gov.cn"
MAPPING = ClaimMapping()


def _sign_in(store, clock, mapping=MAPPING, issuer=ISSUER, **claims):
    return sign_in_federated(store, issuer, claims, mapping, clock.now())


def _count(store, model) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def department(store):
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        uow.commit()


def test_roles_may_come_as_one_string_and_unknown_ones_are_dropped(store, clock, department):
    result = _sign_in(store, clock, sub="a1", preferred_username="a1", roles="reviewer, auditor root admin",
                      department="QZ-SCJG")
    assert result.created and result.user.role_set == {"reviewer", "auditor"}


def test_without_staff_roles_the_account_is_an_applicant(store, clock):
    result = _sign_in(store, clock, sub="p1", preferred_username="p1", roles=["applicant", "admin"])
    assert result.user.role_set == {"applicant"} and result.user.department_code is None


def test_the_same_sub_at_another_issuer_is_another_person(store, clock):
    first = _sign_in(store, clock, sub="same", preferred_username="same")
    second = _sign_in(store, clock, issuer="https://other.example.gov.cn", sub="same", preferred_username="same")
    assert first.user.id != second.user.id and second.user.username.startswith("same.")
    assert _count(store, FederatedIdentity) == 2


def test_an_office_may_let_the_provider_grant_admin(store, clock):
    mapping = replace(MAPPING, allowed_roles=DEFAULT_IDP_ROLES | {"admin"})
    assert _sign_in(store, clock, mapping, sub="ad", preferred_username="ad", roles=["admin"]).user.role_set == {"admin"}


def test_roles_granted_here_outside_the_allow_list_stay(store, clock):
    user = _sign_in(store, clock, sub="s1", preferred_username="s1", roles=["reviewer"]).user
    with store.write() as uow:
        uow.session.get(User, user.id).roles = "admin,reviewer"  # an administrator's own grant
        uow.commit()
    again = _sign_in(store, clock, sub="s1", roles=["supervisor"]).user
    assert again.role_set == {"admin", "supervisor"}
    assert _sign_in(store, clock, sub="s1", roles=[]).user.role_set == {"admin"}


def test_an_unmapped_roles_claim_leaves_roles_to_this_system(store, clock):
    mapping = replace(MAPPING, roles="", department="")
    user = _sign_in(store, clock, mapping, sub="m1", preferred_username="m1", roles=["reviewer"]).user
    assert user.role_set == {"applicant"}


def test_a_department_account_needs_its_department(store, clock):
    with pytest.raises(InvalidInput, match="未提供认定部门账号所属的部门"):
        _sign_in(store, clock, sub="d1", preferred_username="d1", roles=["department"])
    assert _count(store, User) == 0


def test_a_disabled_account_is_refused(store, clock):
    user = _sign_in(store, clock, sub="x1", preferred_username="x1", roles=["reviewer"]).user
    with store.write() as uow:
        uow.session.get(User, user.id).active = False
        uow.commit()
    with pytest.raises(InvalidInput, match="已停用"):
        _sign_in(store, clock, sub="x1", roles=["reviewer"])


def test_claims_without_sub_are_refused(store, clock):
    with pytest.raises(InvalidInput, match="身份信息不完整"):
        _sign_in(store, clock, preferred_username="nobody")
    assert _count(store, User) == 0


def test_the_provisioned_account_cannot_sign_in_with_any_password(store, clock):
    user = _sign_in(store, clock, sub="n1", preferred_username="n1", roles=["reviewer"]).user
    with store.read() as session:
        assert authenticate(session, "n1", user.password_hash) is None
        assert authenticate(session, "n1", "") is None


def test_an_asserted_username_taken_locally_gets_a_suffix(store, clock):
    with store.write() as uow:
        create_user(uow.session, "reviewer1", "correct horse 42", ["reviewer"], clock.now())
        uow.commit()
    user = _sign_in(store, clock, sub="r1", preferred_username="reviewer1", roles=["supervisor"]).user
    assert user.username.startswith("reviewer1.") and len(user.username) <= 64
    with store.read() as session:
        assert session.scalars(select(User).where(User.username == "reviewer1")).one().role_set == {"reviewer"}


def test_configuration_is_read_from_the_environment():
    env = {"CREDIT_CASES_OIDC_ISSUER": ISSUER, "CREDIT_CASES_OIDC_CLIENT_ID": "cc", "CREDIT_CASES_OIDC_CLIENT_SECRET": "s",
           "CREDIT_CASES_OIDC_SUBJECT_CODE_CLAIM": "entcode", "CREDIT_CASES_OIDC_ROLES_CLAIM": "",
           "CREDIT_CASES_OIDC_ALLOWED_ROLES": "reviewer,supervisor"}
    oidc = load_oidc(env)
    assert oidc.metadata_url == ISSUER + "/.well-known/openid-configuration"
    assert (oidc.claims.subject_code, oidc.claims.roles, oidc.claims.username) == ("entcode", "", "preferred_username")
    assert oidc.claims.allowed_roles == {"reviewer", "supervisor"} and oidc.label == "统一身份认证登录"
    assert load_oidc({}) is None
    with pytest.raises(ValueError, match="CLIENT_SECRET"):
        load_oidc({"CREDIT_CASES_OIDC_ISSUER": ISSUER, "CREDIT_CASES_OIDC_CLIENT_ID": "cc"})


def test_unknown_role_keys_in_the_configuration_are_problems(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="sqlite://", password_signin_disabled_roles=frozenset({"boss"}),
                        oidc=OidcSettings(ISSUER, "cc", "s", claims=ClaimMapping(allowed_roles=frozenset({"root"}))))
    problems = configuration_problems(settings)
    assert len(problems) == 2 and "boss" in problems[0] and "root" in problems[1]


def test_an_id_number_used_as_sub_is_masked_in_the_audit_log(store, clock):
    _sign_in(store, clock, sub="11010519491231002X", preferred_username="zs")
    with store.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "federated_account_created")).one()
    assert event.after["sub"] == "1101**********002X"
