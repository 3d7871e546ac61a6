"""Applicants signing in through the provider: the subject it asserts (USCC or ID number) binds the account.

A trusted identity provider's assertion is proof enough (issue 12): the account is bound to
the subject as its holder and sees that subject's records — and nobody else's.
"""
from __future__ import annotations

from sqlalchemy import func, select

from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import FederatedIdentity, Subject, SubjectBinding, User

from tests.support.oidc import sign_in
from tests.support.subjects import COMPANY, OTHER, PERSON


def _bindings(store) -> list[SubjectBinding]:
    with store.read() as session:
        return list(session.scalars(select(SubjectBinding).join(User, User.id == SubjectBinding.user_id)
                                    .where(User.username.like("boss%")).order_by(SubjectBinding.id)))


def _events(store, kind: str) -> list[CaseEvent]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.kind == kind)))


def _count(store, model, *where) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_asserted_company_binds_the_account_which_sees_its_records_only(
        sso_app, identity_provider, store, make_record):
    make_record("2026-05-10")
    foreign = make_record("2026-05-11", subject=OTHER)
    identity_provider.set_account("ent-001", preferred_username="boss1", name="陈老板", uscc=COMPANY,
                                  subject_name="泉州市清源食品有限公司")
    client = sso_app.test_client()
    response = sign_in(client, identity_provider, "ent-001")
    assert response.status_code == 302 and response.headers["Location"] == "/portal"
    html = client.get("/portal/").get_data(as_text=True)
    assert "泉市监罚〔2026〕0510号" in html and "泉市监罚〔2026〕0511号" not in html
    assert f'data-record="{foreign}"' not in html
    assert client.get(f"/api/v1/check/{COMPANY}").status_code == 200
    assert client.get(f"/api/v1/check/{OTHER}").status_code == 403
    [binding] = _bindings(store)
    assert (binding.subject_code, binding.relation, binding.source) == (COMPANY, "holder", "idp")
    assert binding.granted_by == "idp:127.0.0.1:" + identity_provider.issuer.rsplit(":", 1)[1]
    with store.read() as session:
        user = session.scalars(select(User).where(User.username == "boss1")).one()
    assert user.role_set == {"applicant"} and user.subject_code == COMPANY
    assert _count(store, CaseEvent, CaseEvent.kind == "binding_granted", CaseEvent.summary.like("%boss1%")) == 1

    again = sso_app.test_client()
    assert sign_in(again, identity_provider, "ent-001").status_code == 302
    assert len(_bindings(store)) == 1  # already bound: nothing new, no second audit row
    assert _count(store, CaseEvent, CaseEvent.kind == "binding_granted", CaseEvent.summary.like("%boss1%")) == 1
    assert "泉市监罚〔2026〕0510号" in again.get("/portal/").get_data(as_text=True)


def test_a_subject_new_here_is_registered_under_the_asserted_name(sso_client, identity_provider, store):
    identity_provider.set_account("person-001", preferred_username="boss2", name="张三", uscc=PERSON,
                                  subject_name="张三")
    assert sign_in(sso_client, identity_provider, "person-001").status_code == 302
    with store.read() as session:
        subject = session.get(Subject, PERSON)
    assert (subject.name, subject.category) == ("张三", "natural_person")
    [binding] = _bindings(store)
    assert (binding.subject_code, binding.source) == (PERSON, "idp")
    [event] = _events(store, "federated_sign_in")
    assert event.after["subject_code"] == "1101**********002X"  # masked in the audit log


def test_an_invalid_subject_code_refuses_the_sign_in_and_creates_nothing(sso_client, identity_provider, store):
    identity_provider.set_account("ent-002", preferred_username="boss3", uscc="91350100M000100Y44",
                                  subject_name="某公司")
    response = sign_in(sso_client, identity_provider, "ent-002")
    assert response.status_code == 400
    assert "统一身份认证提供的主体代码无效" in response.get_data(as_text=True)
    assert _count(store, User) == 0 and _count(store, FederatedIdentity) == 0
    assert _count(store, Subject) == 0 and _count(store, SubjectBinding) == 0
    assert sso_client.get("/portal/").status_code == 302


def test_an_unknown_subject_without_a_name_is_refused(sso_client, identity_provider, store):
    identity_provider.set_account("ent-003", preferred_username="boss4", uscc=OTHER)
    response = sign_in(sso_client, identity_provider, "ent-003")
    assert response.status_code == 400 and "未提供主体名称" in response.get_data(as_text=True)
    assert _count(store, User) == 0 and _count(store, Subject) == 0


def test_without_a_subject_claim_the_applicant_is_bound_to_nothing(sso_client, identity_provider, store):
    identity_provider.set_account("person-002", preferred_username="boss5", name="李四")
    assert sign_in(sso_client, identity_provider, "person-002").headers["Location"] == "/portal"
    assert _bindings(store) == []
    assert sso_client.get(f"/api/v1/check/{COMPANY}").status_code == 403


def test_staff_asserting_a_subject_code_is_not_bound_to_it(sso_client, identity_provider, store):
    identity_provider.set_account("staff-100", preferred_username="boss6", roles=["reviewer"], uscc=COMPANY,
                                  subject_name="泉州市清源食品有限公司")
    assert sign_in(sso_client, identity_provider, "staff-100").headers["Location"] == "/desk"
    assert _bindings(store) == [] and _count(store, Subject) == 0
