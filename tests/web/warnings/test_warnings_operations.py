"""Warning operations and queries called directly: scan, inbox scoping, closing (audited)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import CaseEvent
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.people.subjects import register_department
from workflows.core.models.warnings import EarlyWarning
from workflows.warnings.operations import close, scan_now
from workflows.warnings.queries import inbox, warning_for, warning_list

from tests.support.warnings import add_records, add_subjects

ADMIN = Actor("admin1", frozenset({"admin"}))
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
DEPT1 = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
DEPT2 = Actor("dept2", frozenset({"department"}), department_code="XM-YJ")


@pytest.fixture
def scanned(runtime, store, clock) -> dict[str, int]:
    """`many` is penalised by three departments; `listed` by XM-YJ only."""
    with store.write() as uow:
        for code in ("QZ-SCJG", "XM-YJ", "XM-HB"):
            register_department(uow.session, code, f"部门{code}")
        uow.commit()
    many, listed = add_subjects(store, clock.now(), 31, 32)
    for department in ("QZ-SCJG", "XM-YJ", "XM-HB"):
        add_records(store, clock.now(), many, department=department)
    add_records(store, clock.now(), listed, 2, kind="serious_list", department="XM-YJ")
    report = scan_now(store, RuleBook(runtime.specs.current), ADMIN, clock.now())
    assert report.new == 2
    with store.read() as session:
        return {w.subject_code: w.id for w in session.scalars(select(EarlyWarning))} | {"many": many, "listed": listed}


def test_only_the_credit_office_scans(runtime, store, clock):
    with pytest.raises(Forbidden):
        scan_now(store, RuleBook(runtime.specs.current), REVIEWER, clock.now())


def test_departments_read_their_own_inbox(scanned, store):
    assert len(inbox(store, REVIEWER, "open", 50, None, 20).page.items) == 2
    mine = inbox(store, DEPT1, "open", 50, None, 20)
    assert [w.subject_code for w in mine.page.items] == [scanned["many"]]
    assert mine.names["QZ-SCJG"] == "部门QZ-SCJG"
    items, _cursor = warning_list(store, DEPT2, None, 50, None)
    assert len(items) == 2
    with pytest.raises(NotFound):
        warning_for(store, DEPT1, scanned[scanned["listed"]])


def test_closing_is_scoped_checked_and_audited(scanned, store, clock):
    listed = scanned[scanned["listed"]]
    with pytest.raises(NotFound):
        close(store, DEPT1, listed, "约谈已完成", clock.now())  # not in its inbox
    with pytest.raises(Forbidden):
        close(store, REVIEWER, listed, "约谈已完成", clock.now())
    with pytest.raises(InvalidInput):
        close(store, DEPT2, listed, "  ", clock.now())
    assert warning_for(store, ADMIN, listed)["status"] == "open"
    close(store, DEPT2, listed, "约谈已完成，已整改", clock.now())
    assert warning_for(store, ADMIN, listed)["status"] == "closed"
    with store.read() as session:
        [event] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "warning_closed")).all()
    assert event.actor == "dept2" and event.after["warning_id"] == listed
