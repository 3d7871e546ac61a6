"""`workflows.kinds.common.case_messages` called directly: withdraw and report a breach.

A refusal (no permission, wrong state, wrong kind) must change nothing: same case version,
no new audit event. The button predicates (`may_withdraw`, `may_report_breach`) must agree
with what the verbs do.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.api_cases import SUBJECT_A, SUBJECT_B, commit, through_acceptance
from tests.support.web import token_for
from workflows.core.errors import CaseError, Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import Case, CaseEvent
from workflows.kinds.common.case_messages import (
    may_report_breach,
    may_withdraw,
    report_breach,
    request_reschedule,
    withdraw_case,
)
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor

APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=SUBJECT_A)
OTHER_APPLICANT = Actor("applicant2", frozenset({"applicant"}), subject_code=SUBJECT_B)
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
SUPERVISOR = Actor("supervisor1", frozenset({"supervisor"}))
DEPARTMENT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
OTHER_DEPARTMENT = Actor("dept9", frozenset({"department"}), department_code="XM-SCJG")
ADMIN = Actor("admin1", frozenset({"admin"}))
BREACH = {"fulfilment": "false", "unfulfilled": "现场核查发现承诺的资质证明系伪造", "liability_action": "撤销证件"}


@pytest.fixture
def repair_case(runtime, make_record) -> int:
    record_id = make_record("2026-05-10")
    form = {"record_ids": [record_id], "reason": "已缴清罚款并完成整改",
            "rectification": "已下架问题食品并建立进货查验制度", "commitment_accepted": True}
    return file_repair(runtime.engine, APPLICANT, SUBJECT_A, form).id


@pytest.fixture
def accepted_commitment(client, world) -> int:
    doc = commit(client, token_for(client, "applicant1"), "certification").get_json()
    return through_acceptance(client, doc)["id"]


def snapshot(store, case_id: int) -> tuple[int, str, int]:
    """(version, status, number of audit events): what a refusal must leave alone."""
    with store.read() as session:
        case = session.get(Case, case_id)
        events = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        return case.version, case.status, events


def event_kinds(store, case_id: int) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def test_withdraw_closes_the_request_and_audits_the_message(runtime, store, repair_case):
    before = snapshot(store, repair_case)
    case = withdraw_case(runtime.engine, APPLICANT, repair_case)
    assert (case.status, case.outcome) == ("completed", "withdrawn")
    assert case.version == before[0] + 1
    assert "message_received" in event_kinds(store, repair_case)


@pytest.mark.parametrize("actor, refusal", [
    (OTHER_APPLICANT, NotFound),  # another subject's case does not exist for them
    (REVIEWER, Forbidden),  # staff read every case but only the applicant withdraws
    (DEPARTMENT, Forbidden)])  # the record's department reads the case, does not withdraw it
def test_a_refused_withdrawal_changes_nothing(runtime, store, repair_case, actor, refusal):
    before = snapshot(store, repair_case)
    with pytest.raises(refusal):
        withdraw_case(runtime.engine, actor, repair_case)
    assert snapshot(store, repair_case) == before


def test_a_closed_case_cannot_be_withdrawn_again(runtime, store, repair_case):
    withdraw_case(runtime.engine, APPLICANT, repair_case)
    before = snapshot(store, repair_case)
    with pytest.raises(Conflict, match="已办结"):
        withdraw_case(runtime.engine, APPLICANT, repair_case)
    assert snapshot(store, repair_case) == before


def test_a_commitment_cannot_be_withdrawn(runtime, store, accepted_commitment):
    before = snapshot(store, accepted_commitment)
    with pytest.raises(Conflict, match="信用承诺不能在此撤回"):
        withdraw_case(runtime.engine, APPLICANT, accepted_commitment)
    assert snapshot(store, accepted_commitment) == before


def test_the_accepting_department_reports_a_breach(runtime, store, accepted_commitment):
    case = report_breach(runtime.engine, DEPARTMENT, accepted_commitment, BREACH)
    assert (case.status, case.outcome) == ("running", None)  # due process first (DOMAIN.md §I)
    assert {"message_received", "breach_reported", "breach_noticed"} <= set(event_kinds(store, accepted_commitment))


@pytest.mark.parametrize("actor, data, refusal", [
    (REVIEWER, BREACH, Forbidden),  # reads the case, is not the accepting department
    (OTHER_DEPARTMENT, BREACH, NotFound),  # another department's commitment is not theirs to see
    (APPLICANT, BREACH, Forbidden),
    (DEPARTMENT, {**BREACH, "fulfilment": "full"}, InvalidInput)])
def test_a_refused_breach_report_changes_nothing(runtime, store, accepted_commitment, actor, data, refusal):
    before = snapshot(store, accepted_commitment)
    with pytest.raises(refusal):
        report_breach(runtime.engine, actor, accepted_commitment, data)
    assert snapshot(store, accepted_commitment) == before


def test_a_breach_of_a_repair_request_is_refused(runtime, store, repair_case):
    before = snapshot(store, repair_case)
    with pytest.raises(Forbidden):
        report_breach(runtime.engine, DEPARTMENT, repair_case, BREACH)
    assert snapshot(store, repair_case) == before


def test_a_second_breach_report_is_a_conflict(runtime, store, accepted_commitment):
    report_breach(runtime.engine, DEPARTMENT, accepted_commitment, BREACH)
    before = snapshot(store, accepted_commitment)
    with pytest.raises(Conflict):
        report_breach(runtime.engine, ADMIN, accepted_commitment, BREACH)
    assert snapshot(store, accepted_commitment) == before


@pytest.mark.parametrize("actor", [APPLICANT, REVIEWER, SUPERVISOR, ADMIN])
def test_may_withdraw_says_exactly_what_withdraw_case_does(runtime, store, repair_case, accepted_commitment, actor):
    for case_id in (accepted_commitment, repair_case):
        with store.read() as session:
            allowed = may_withdraw(actor, session.get(Case, case_id))
        assert allowed == _succeeds(lambda case_id=case_id: withdraw_case(runtime.engine, actor, case_id))


@pytest.mark.parametrize("actor", [DEPARTMENT, REVIEWER, APPLICANT, ADMIN])
def test_may_report_breach_says_exactly_what_report_breach_does(runtime, store, accepted_commitment, actor):
    with store.read() as session:
        allowed = may_report_breach(actor, session.get(Case, accepted_commitment))
    assert allowed == _succeeds(lambda: report_breach(runtime.engine, actor, accepted_commitment, BREACH))


def test_the_check_sees_the_case_under_the_engines_lock(runtime, store, repair_case, monkeypatch):
    """The check runs on the locked row in the engine's transaction: a withdrawal that commits
    between the request and the lock is seen there, and the second one is refused unwritten."""
    engine = runtime.engine
    real_send = engine.send_message

    def someone_else_withdraws_first(case_id, name, payload, actor, expected_version=None, check=None, describe=None):
        real_send(case_id, name, payload, actor)  # commits before our transaction locks the row
        return real_send(case_id, name, payload, actor, expected_version=expected_version, check=check,
                         describe=describe)

    monkeypatch.setattr(engine, "send_message", someone_else_withdraws_first)
    before = snapshot(store, repair_case)
    with pytest.raises(Conflict, match="已办结"):
        withdraw_case(engine, APPLICANT, repair_case)
    assert snapshot(store, repair_case)[0] == before[0] + 1  # only the other withdrawal changed it


@pytest.mark.parametrize("actor, refusal", [(APPLICANT, InvalidInput), (OTHER_APPLICANT, NotFound)])
def test_only_interviews_are_rescheduled_and_a_refusal_changes_nothing(runtime, store, repair_case, actor, refusal):
    before = snapshot(store, repair_case)
    with pytest.raises(refusal):
        request_reschedule(runtime.engine, actor, repair_case, {"scheduled_at": "2026-10-20T09:30:00+08:00",
                                                                "reason": "出差"})
    assert snapshot(store, repair_case) == before


def test_the_api_documents_the_roles_of_each_permission(client):
    """`api_permission` keeps the OpenAPI `x-roles` the builder reads, from the one policy."""
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/api/v1/cases/{case_id}/withdraw"]["post"]["x-roles"] == ["admin", "applicant"]
    assert paths["/api/v1/cases/{case_id}/breach"]["post"]["x-roles"] == ["admin", "department"]
    assert paths["/api/v1/tasks/{task_id}/assign"]["post"]["x-roles"] == ["admin", "supervisor"]


def _succeeds(verb) -> bool:
    try:
        verb()
    except CaseError:
        return False
    return True
