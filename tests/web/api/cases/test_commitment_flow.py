"""Credit commitments end to end over HTTP (SQLite and PostgreSQL, frozen clock)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflows.core.models.cases import Case, OutboxEvent
from workflows.core.models.commitments import Commitment
from workflows.core.models.records import CreditRecord

from tests.support.api_cases import SUBJECT_A, case_of, commit, complete, letter_text, open_task, through_acceptance
from tests.support.web import bearer, token_for

TYPES = ("approval_substitute", "deficiency_acceptance", "certification", "repair",
         "industry_self_discipline", "voluntary_disclosure")


def register_row(store, case_id) -> Commitment:
    with store.read() as session:
        return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).one()


def row_code(store, case_id) -> str:
    return register_row(store, case_id).code


def confirm_breach(client, case_id, statement=None, reason="陈述申辩理由不能成立"):
    """Due process to the end: the party states (or waives), the department confirms."""
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = case_of(client, app1, case_id)
    data = {"statement": statement} if statement else {"waived": True}
    doc = complete(client, app1, open_task(doc, "statement")["id"], doc["version"], **data).get_json()
    return complete(client, dept, open_task(doc, "decide")["id"], doc["version"], decision="confirm",
                    reason=reason).get_json()


@pytest.mark.parametrize("commitment_type", TYPES)
def test_each_type_letter_acceptance_and_full_fulfilment(client, runtime, clock, store, world, commitment_type):
    app1 = token_for(client, "applicant1")
    filed = commit(client, app1, commitment_type, verify_on="2026-12-01")
    assert filed.status_code == 201, filed.get_json()
    doc = filed.get_json()
    row = register_row(store, doc["id"])
    assert len(row.code) == 20 and row.code.startswith("35050020260930") and row.status == "filed"
    letter = next(l for l in doc["letters"] if l["type"] == "commitment")
    text = letter_text(client, app1, letter).replace("\n", "")
    from workflows.kinds.commitment.templates import TYPES as TYPE_NAMES
    assert "信用承诺书" in text and row.code in text and "食品经营许可证延续" in text and "承担虚假承诺的法律责任" in text
    assert TYPE_NAMES[commitment_type][:4] in text  # the letter names the commitment type
    doc = through_acceptance(client, doc)
    if commitment_type == "deficiency_acceptance":
        doc = complete(client, app1, open_task(doc, "supply")["id"], doc["version"], supplied="已补交产权证明").get_json()
    assert register_row(store, doc["id"]).status == "accepted"
    clock.set("2026-12-01T09:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, doc["id"])
    done = complete(client, dept, open_task(doc, "verify")["id"], doc["version"], fulfilment="full").get_json()
    assert (done["status"], done["outcome"]) == ("completed", "fulfilled")
    assert register_row(store, doc["id"]).fulfilment == "full"
    with store.read() as session:
        kinds = session.scalars(select(OutboxEvent.kind).where(OutboxEvent.case_id == doc["id"])).all()
    assert kinds == ["commitment_published", "commitment_fulfilled"]


@pytest.mark.parametrize("commitment_type, fulfilment, severity", [
    ("certification", "partial", "general"), ("approval_substitute", "none", "general"),
    ("repair", "none", "general"), ("industry_self_discipline", "false", "serious")])
def test_breach_creates_record_measures_and_notice(client, runtime, clock, store, world, commitment_type, fulfilment, severity):
    app1 = token_for(client, "applicant1")
    doc = through_acceptance(client, commit(client, app1, commitment_type, verify_on="2026-12-01").get_json())
    clock.set("2026-12-01T10:00:00+08:00")
    runtime.engine.fire_due_timers()
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, doc["id"])
    missing = complete(client, dept, open_task(doc, "verify")["id"], doc["version"], fulfilment=fulfilment)
    assert missing.status_code == 400 and "unfulfilled" in missing.get_json()["fields"]
    noticed = complete(client, dept, open_task(doc, "verify")["id"], doc["version"], fulfilment=fulfilment,
                       unfulfilled="未按承诺期限完成整改").get_json()
    assert (noticed["status"], noticed["outcome"]) == ("running", None)
    assert register_row(store, doc["id"]).status == "breach_pending"
    notice = next(l for l in noticed["letters"] if l["type"] == "breach_notice")
    text = letter_text(client, token_for(client, "applicant1"), notice).replace("\n", "")
    assert "违诺告知书" in text and row_code(store, doc["id"]) in text and "未按承诺期限完成整改" in text
    done = confirm_breach(client, doc["id"])
    assert done["outcome"] == "breached"
    row = register_row(store, doc["id"])
    with store.read() as session:
        record = session.get(CreditRecord, row.breach_record_id)
    assert (record.kind, record.severity, record.publicity_status) == ("breach", severity, "public")
    check = client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(dept)).get_json()
    assert any(m["record_id"] == record.id for m in check["active_measures"])
    decision = next(l for l in done["letters"] if l["type"] == "breach_decision")
    assert record.decision_no == decision["number"]


def test_breach_reported_early_by_the_accepting_department(client, store, world):
    app1 = token_for(client, "applicant1")
    doc = through_acceptance(client, commit(client, app1, "certification").get_json())
    body = {"fulfilment": "false", "unfulfilled": "现场核查发现承诺的资质证明系伪造", "liability_action": "撤销证件"}
    wrong = client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(token_for(client, "reviewer1")), json=body)
    assert wrong.status_code == 403
    done = client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(token_for(client, "dept1")), json=body)
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["outcome"]) == ("running", None)
    row = register_row(store, doc["id"])
    assert (row.fulfilment, row.status, row.breach_record_id) == ("false", "breach_pending", None)
    again = client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(token_for(client, "dept1")), json=body)
    assert again.status_code == 409


def test_false_commitment_then_excluded_from_notification_types(client, store, world):
    app1 = token_for(client, "applicant1")
    doc = through_acceptance(client, commit(client, app1, "certification").get_json())
    client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(token_for(client, "dept1")),
                json={"fulfilment": "false", "unfulfilled": "承诺内容虚假"})
    assert commit(client, app1, "approval_substitute").status_code == 201  # not yet decided: no record
    confirm_breach(client, doc["id"])
    refused = commit(client, app1, "approval_substitute")
    assert refused.status_code == 422 and "虚假承诺" in refused.get_json()["message"]
    assert commit(client, app1, "voluntary_disclosure").status_code == 201  # not a 告知承诺 type


def test_serious_record_excludes_notification_types(client, make_record, store):
    make_record("2026-05-10", severity="serious", no="泉市监罚〔2026〕99号")
    refused = commit(client, token_for(client, "applicant1"), "certification")
    assert refused.status_code == 422 and "泉市监罚〔2026〕99号" in refused.get_json()["message"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Commitment)) == 0


def test_deficiency_deadline_missed_is_a_breach(client, runtime, clock, store, world):
    doc = through_acceptance(client, commit(client, token_for(client, "applicant1"), "deficiency_acceptance").get_json())
    supply = open_task(doc, "supply")
    assert supply["lane"] == "applicant" and supply["due_at"] == "2026-11-03T23:59:59+08:00"  # 20 working days
    clock.set("2026-11-04T00:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "dept1"), doc["id"])
    assert open_task(doc, "statement") and register_row(store, doc["id"]).fulfilment == "none"
    assert register_row(store, doc["id"]).status == "breach_pending"


def test_department_rejects_and_private_commitments_are_not_published(client, store, world):
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = commit(client, app1, "voluntary_disclosure", disclosure="private").get_json()
    doc = complete(client, app1, open_task(doc, "confirm")["id"], doc["version"], confirmed=True, signer="陈志明").get_json()
    assert complete(client, dept, open_task(doc, "accept")["id"], doc["version"], decision="reject").status_code == 400
    done = complete(client, dept, open_task(doc, "accept")["id"], doc["version"], decision="reject", reason="材料不符").get_json()
    assert done["outcome"] == "rejected" and register_row(store, doc["id"]).status == "rejected"
    doc = through_acceptance(client, commit(client, app1, "voluntary_disclosure", disclosure="private").get_json())
    with store.read() as session:
        assert session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "commitment_published")).all() == []


@pytest.mark.parametrize("form, field", [({"liability": ""}, "liability"), ({"commitment_type": "x"}, "commitment_type"),
                                         ({"disclosure": "x"}, "disclosure"), ({"valid_until": "31/12/2026"}, "valid_until")])
def test_bad_commitment_input(client, store, world, form, field):
    response = commit(client, token_for(client, "applicant1"), **form)
    assert response.status_code == 400 and field in response.get_json()["fields"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Commitment)) == 0


def test_desk_forms_accept_and_verify_a_commitment(client, runtime, clock, store, world):
    import re

    from tests.support.web import login
    app1 = token_for(client, "applicant1")
    doc = commit(client, app1, "certification", verify_on="2026-12-01").get_json()
    doc = complete(client, app1, open_task(doc, "confirm")["id"], doc["version"], confirmed=True, signer="陈志明").get_json()
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'id="decision-accept"' in page and 'name="outcome"' not in page
    task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
    client.post(f"/desk/tasks/{task_id}/complete", data={"decision": "accept", "version": doc["version"], "case_id": doc["id"]})
    clock.set("2026-12-01T10:00:00+08:00")
    runtime.engine.fire_due_timers()
    client.post("/logout")
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'id="fulfilment-partial"' in page
    task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    noticed = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True, data={
        "fulfilment": "partial", "unfulfilled": "未按期整改", "liability_action": "", "version": version, "case_id": doc["id"]})
    assert "违诺告知书" in noticed.get_data(as_text=True)
    assert register_row(store, doc["id"]).status == "breach_pending"
    confirm_breach(client, doc["id"])
    assert register_row(store, doc["id"]).status == "breached"
    assert "已违诺" in client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)


def test_false_commitment_starts_a_warning_interview(client, store, world):
    app1 = token_for(client, "applicant1")
    doc = through_acceptance(client, commit(client, app1, "certification").get_json())
    client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(token_for(client, "dept1")),
                json={"fulfilment": "false", "unfulfilled": "承诺内容虚假"})
    with store.read() as session:
        assert session.scalars(select(Case).where(Case.kind == "interview")).all() == []
    confirm_breach(client, doc["id"])
    with store.read() as session:
        interview = session.scalars(select(Case).where(Case.kind == "interview")).one()
    assert (interview.department_code, interview.status) == ("QZ-SCJG", "running")
    doc = case_of(client, token_for(client, "dept1"), interview.id)
    assert open_task(doc, "conduct") and [l for l in doc["letters"] if l["type"] == "interview_notice"]
