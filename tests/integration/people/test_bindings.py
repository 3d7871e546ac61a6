"""Bindings of accounts to subjects: an account acts for a subject only under an active binding."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.subjects import COMPANY, OTHER, PERSON
from tests.support.web import PASSWORD
from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import CaseEvent, Notification
from workflows.core.models.people import SubjectBinding, User
from workflows.people.access import Actor
from workflows.people.bindings import (
    Revocation,
    grant_binding,
    my_bindings,
    revoke_binding,
    subject_bindings,
    switch_subject,
    today_of,
)
from workflows.people.subjects import register_subject
from workflows.people.tokens import actor_for_token, issue_for
from workflows.people.users import account, create_user

ADMIN = Actor("admin1", frozenset({"admin"}))


@pytest.fixture
def people(store, clock) -> dict[str, int]:
    """owner (holder of COMPANY, an administrator's grant), agent and stranger (no subject)."""
    with store.write() as uow:
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", clock.now())
        register_subject(uow.session, OTHER, "厦门海沧建材贸易有限公司", clock.now())
        uow.session.flush()
        ids = {"owner": create_user(uow.session, "owner", PASSWORD, ["applicant"], clock.now(), subject_code=COMPANY).id}
        for name in ("agent", "stranger"):
            user = create_user(uow.session, name, PASSWORD, ["applicant"], clock.now())
            uow.session.flush()
            ids[name] = user.id
        uow.commit()
    return ids


def grant_agent(store, clock, user_id: int, days: int = 30, code: str = COMPANY) -> int:
    with store.write() as uow:
        binding = grant_binding(uow.session, user_id=user_id, subject_code=code, relation="agent", source="review",
                                granted_by="admin1", now=clock.now(), valid_until=today_of(clock.now()) + timedelta(days=days))
        uow.commit()
        return binding.id


def acting(store, clock, user_id: int) -> str | None:
    return account(store, user_id, clock.now())[1]


def test_an_account_acts_for_a_subject_only_while_bound(store, clock, people):
    assert acting(store, clock, people["owner"]) == COMPANY
    assert acting(store, clock, people["agent"]) is None
    grant_agent(store, clock, people["agent"], days=10)
    assert acting(store, clock, people["agent"]) == COMPANY
    token, _ = issue_for(store, people["agent"], clock.now(), 8)
    assert actor_for_token(store, token, clock.now()).subject_code == COMPANY
    clock.advance(days=10)  # the authorisation's last day still counts
    assert acting(store, clock, people["agent"]) == COMPANY
    clock.advance(days=1)
    assert acting(store, clock, people["agent"]) is None
    token, _ = issue_for(store, people["agent"], clock.now(), 8)
    assert actor_for_token(store, token, clock.now()).subject_code is None
    with store.read() as session:  # the row stays, for the record; only its dates decide
        assert session.get(User, people["agent"]).subject_code == COMPANY


def test_a_holder_sees_and_revokes_its_agents_and_the_agent_is_told(store, clock, people):
    binding_id = grant_agent(store, clock, people["agent"])
    owner = Actor("owner", frozenset({"applicant"}), COMPANY)
    listed = subject_bindings(store, owner, COMPANY, clock.now())
    assert sorted((u.username, b.relation) for b, u in listed) == [("agent", "agent"), ("owner", "holder")]
    stranger = Actor("stranger", frozenset({"applicant"}))
    with pytest.raises(Forbidden):
        subject_bindings(store, stranger, COMPANY, clock.now())
    with pytest.raises(NotFound):  # not even told the binding exists
        revoke_binding(store, stranger, Revocation(binding_id), clock.now())
    revoke_binding(store, owner, Revocation(binding_id, "委托已终止"), clock.now())
    assert acting(store, clock, people["agent"]) is None
    with store.read() as session:
        row = session.get(SubjectBinding, binding_id)
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "binding_revoked")).one()
        notice = session.scalars(select(Notification).where(Notification.username == "agent")).one()
    assert (row.revoked_by, row.revoke_reason) == ("owner", "委托已终止")
    assert event.actor == "owner" and "委托已终止" in notice.message
    with pytest.raises(NotFound):
        revoke_binding(store, owner, Revocation(binding_id), clock.now())


def test_an_agent_cannot_revoke_the_holder_but_may_leave(store, clock, people):
    binding_id = grant_agent(store, clock, people["agent"])
    agent = Actor("agent", frozenset({"applicant"}), COMPANY)
    with store.read() as session:
        holder_id = session.scalars(select(SubjectBinding.id).where(SubjectBinding.user_id == people["owner"])).one()
    with pytest.raises(NotFound):
        revoke_binding(store, agent, Revocation(holder_id), clock.now())
    assert acting(store, clock, people["owner"]) == COMPANY
    revoke_binding(store, agent, Revocation(binding_id), clock.now())
    assert acting(store, clock, people["agent"]) is None


def test_an_agency_switches_between_its_subjects(store, clock, people):
    grant_agent(store, clock, people["agent"], code=COMPANY)
    grant_agent(store, clock, people["agent"], code=OTHER)
    assert [s.code for _b, s in my_bindings(store, people["agent"], clock.now())] == [COMPANY, OTHER]
    assert acting(store, clock, people["agent"]) == COMPANY
    switch_subject(store, people["agent"], OTHER, clock.now())
    assert acting(store, clock, people["agent"]) == OTHER
    with pytest.raises(Forbidden):
        switch_subject(store, people["stranger"], COMPANY, clock.now())
    assert acting(store, clock, people["stranger"]) is None


def test_a_binding_cannot_end_in_the_past_or_bind_an_unknown_subject(store, clock, people):
    with store.write() as uow, pytest.raises(InvalidInput):
        grant_binding(uow.session, user_id=people["agent"], subject_code=COMPANY, relation="agent", source="review",
                      granted_by="admin1", now=clock.now(), valid_until=today_of(clock.now()) - timedelta(days=1))
    with store.write() as uow, pytest.raises(NotFound):
        grant_binding(uow.session, user_id=people["agent"], subject_code=PERSON,
                      relation="holder", source="admin", granted_by="admin1", now=clock.now())
    assert acting(store, clock, people["agent"]) is None
