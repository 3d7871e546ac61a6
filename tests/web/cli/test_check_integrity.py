"""`credit-cases check-integrity`: whole after real flows; each kind of damage is named."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from webapp.cli import CommandContext, main
from workflows.archive.integrity import check_integrity
from workflows.core.config import PROJECT_ROOT
from workflows.core.models.cases import HumanTask
from workflows.core.models.letters import Letter, Sequence

from tests.support.api_cases import file_request, open_task, repair_decided, start_interview
from tests.support.letters import drain_letters
from tests.support.web import token_for


@pytest.fixture
def bpmn_dir():
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def flows(client, make_record) -> dict:
    """An approved repair, a running repair under review (claimed) and a scheduled interview."""
    app1, rev, dept = token_for(client, "applicant1"), token_for(client, "reviewer1"), token_for(client, "dept1")
    running = file_request(client, app1, [make_record("2026-05-11")]).get_json()
    done = file_request(client, app1, [make_record("2026-05-10")]).get_json()
    repair_decided(client, done)
    client.post(f"/api/v1/tasks/{open_task(running, 'first_review')['id']}/claim", headers={"Authorization": f"Bearer {rev}"})
    start_interview(client, dept, [make_record("2026-05-12")])
    return running


def _check(runtime):
    return CliRunner().invoke(main, ["check-integrity"], obj=CommandContext(runtime=runtime))


def test_real_flows_are_whole(runtime, flows):
    drain_letters(runtime.store, runtime.clock)
    result = _check(runtime)
    assert result.exit_code == 0, result.output
    # 4 cases: the approved repair also opened the 承诺—践诺 case of its repair commitment
    assert "已检查 4 个案件" in result.output and "完整" in result.output
    report = check_integrity(runtime.store, runtime.specs, now=runtime.clock.now())
    assert report.ok and (report.cases, report.letters, report.series) == (4, 6, 3)  # acceptance, decision, notice


def test_pending_letters_pass_until_they_wait_too_long(runtime, clock, flows):
    """Numbered in their step, rendered after: no hash yet is fine, an hour without one is not."""
    report = check_integrity(runtime.store, runtime.specs, now=clock.now())
    assert report.ok and report.letters == 6, report.problems
    clock.advance(hours=1)
    late = check_integrity(runtime.store, runtime.specs, now=clock.now())
    assert len(late.problems) == 6 and all("pending since" in str(p) for p in late.problems)
    drain_letters(runtime.store, runtime.clock)
    assert check_integrity(runtime.store, runtime.specs, now=clock.now()).ok  # numbers and hashes of issued ones


def test_damage_is_named(runtime, store, flows):
    task_id = open_task(flows, "first_review")["id"]
    drain_letters(store)
    with store.write() as uow:
        series = uow.session.scalars(select(Letter.series).where(Letter.letter_type == "acceptance")).first()
        uow.session.execute(update(Letter).where(Letter.id == 1).values(pdf=b"%PDF-1.7 tampered"))
        uow.session.execute(delete(HumanTask).where(HumanTask.id == task_id))
        uow.session.execute(update(Sequence).where(Sequence.series == series)
                            .values(last_value=Sequence.last_value + 2))
        uow.commit()
    result = _check(runtime)
    assert result.exit_code == 1
    output = result.output
    assert "does not match its sha256" in output
    assert f"case {flows['id']}: ready tasks [] but the workflow has ['{task_id}']" in output
    assert f"series {series}/2026: numbers 3–4 counted but not issued (a gap)" in output
    assert "发现 3 个问题" in output
