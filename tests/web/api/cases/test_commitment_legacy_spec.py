"""A commitment case started on the spec set from before due process (bpmn/commitment.bpmn as it
was until issue 14) keeps its own flow after an upgrade: a breach found on it is recorded at once,
as that flow says, by the current code (SQLite and PostgreSQL)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from workflows.core.config import PROJECT_ROOT, Settings
from workflows.core.models.commitments import Commitment
from workflows.core.models.records import CreditRecord
from workflows.kinds.common.case_messages import report_breach
from workflows.people.access import Actor
from workflows.runtime import build_runtime

from tests.support.api_cases import commit, through_acceptance
from tests.support.flow_kinds import product_and_test_kinds
from tests.support.web import token_for

LEGACY = PROJECT_ROOT / "tests" / "data" / "legacy" / "commitment_before_due_process.bpmn"
DEPARTMENT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")


@pytest.fixture
def bpmn_dir(tmp_path) -> Path:
    """Today's flows with the commitment flow of before due process."""
    path = tmp_path / "legacy_bpmn"
    shutil.copytree(PROJECT_ROOT / "bpmn", path)
    shutil.copyfile(LEGACY, path / "commitment.bpmn")
    return path


def test_a_case_on_the_old_flow_records_its_breach_at_once(client, store, clock, db_url, tmp_path, world):
    doc = through_acceptance(client, commit(client, token_for(client, "applicant1")).get_json())
    upgraded = build_runtime(Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=PROJECT_ROOT / "bpmn",
                                      secret_key="test-secret"), clock, kinds=product_and_test_kinds())
    try:
        case = report_breach(upgraded.engine, DEPARTMENT, doc["id"], {"fulfilment": "none", "unfulfilled": "未整改"})
    finally:
        upgraded.close()
    assert (case.status, case.outcome) == ("completed", "breached")
    with store.read() as session:
        row = session.scalars(select(Commitment).where(Commitment.case_id == doc["id"])).one()
        record = session.get(CreditRecord, row.breach_record_id)
    assert (row.status, record.kind, record.publicity_status) == ("breached", "breach", "public")
