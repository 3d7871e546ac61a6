"""Record operations and queries called directly: permission inside, one transaction, audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from workflows.core.errors import Forbidden, NotFound
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.people.subjects import register_department, register_subject
from workflows.records import RecordFilter
from workflows.core.models.records import CreditRecord, RecordHistory
from workflows.records.operations import register_record
from workflows.records.queries import browse_records, own_department_name, record_page, subject_for

from tests.support.db import count
from tests.support.records import COMPANY, record_data

OFFICER = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
ADMIN = Actor("admin1", frozenset({"admin"}))
AUDITOR = Actor("auditor1", frozenset({"auditor"}))
APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY)


@pytest.fixture
def world(store, clock) -> None:
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", clock.now())
        uow.commit()


def test_an_officer_registers_a_record_of_its_own_department(runtime, world, store, clock):
    rules = RuleBook(runtime.specs.current)
    document = register_record(store, rules, OFFICER, record_data(department_name=""), clock.now(), source="web")
    assert document["publicity_status"] == "public" and document["department_name"] == "泉州市市场监督管理局"
    with store.read() as session:
        [entry] = session.scalars(select(RecordHistory).where(RecordHistory.record_id == document["id"])).all()
    assert (entry.actor, entry.action) == ("dept1", "created")


def test_refusals_leave_nothing_behind(runtime, world, store, clock):
    rules = RuleBook(runtime.specs.current)
    with pytest.raises(Forbidden):
        register_record(store, rules, OFFICER, record_data(department_code="XM-YJ"), clock.now())
    with pytest.raises(Forbidden):
        register_record(store, rules, AUDITOR, record_data(), clock.now())
    assert count(store, CreditRecord) == 0 and count(store, RecordHistory) == 0


def test_reading_asks_the_policy(runtime, world, store, clock):
    document = register_record(store, RuleBook(runtime.specs.current), ADMIN, record_data(), clock.now())
    assert [r.id for r in browse_records(store, AUDITOR, RecordFilter(), 10)] == [document["id"]]
    with pytest.raises(Forbidden):
        browse_records(store, APPLICANT, RecordFilter(), 10)
    page = record_page(store, AUDITOR, document["id"])
    assert len(page.measures) == 2 and [h.action for h in page.history] == ["created"]
    assert subject_for(store, APPLICANT, COMPANY)["code"] == COMPANY  # the subject itself
    with pytest.raises(NotFound):
        subject_for(store, Actor("applicant2", frozenset({"applicant"}), subject_code="91350200MA2Y4G5U0E"), COMPANY)
    assert own_department_name(store, OFFICER) == "泉州市市场监督管理局"
    assert own_department_name(store, ADMIN) is None
