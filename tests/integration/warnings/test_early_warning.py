"""Early-warning scan (Xiamen seed §24) on SQLite and PostgreSQL: thresholds at their boundaries,
evidence, department inboxes, repeated scans, closing and reopening."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from workflows.people.access import Actor
from workflows.warnings.scan import (EVIDENCE_CAP, close_warning, department_scope, get_warning, list_warnings,
                                     scan_warnings, warning_document)
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import CaseEvent
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning, WarningDepartment
from workflows.engine.rules import RuleBook

from tests.support.warnings import RULES_FILE, add_records, add_subjects


@pytest.fixture(scope="session")
def warning_rules(warning_rules_dir) -> RuleBook:
    return RuleBook.from_directory(warning_rules_dir)


def scan(store, rules, clock):
    with store.write() as uow:
        report = scan_warnings(uow.session, rules, clock.now())
        uow.commit()
    return report


def warnings_of(store, subject: str) -> list[EarlyWarning]:
    with store.read() as session:
        return list(session.scalars(select(EarlyWarning).where(EarlyWarning.subject_code == subject)
                                    .order_by(EarlyWarning.id)))


def inbox(store, warning_id: int) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(WarningDepartment.department_code)
                                   .where(WarningDepartment.warning_id == warning_id)))


def test_sixty_penalties_within_365_days_warn_and_fifty_nine_do_not(store, clock, warning_rules):
    below, at = add_subjects(store, clock.now(), 1, 2)
    add_records(store, clock.now(), below, 58)
    add_records(store, clock.now(), below, 1, days_ago=365)  # the window's first day: counted
    add_records(store, clock.now(), below, 1, days_ago=366)  # one day too old
    add_records(store, clock.now(), below, 1, status="revoked")  # revoked: never counted
    ids = add_records(store, clock.now(), at, 59, days_ago=3) + add_records(store, clock.now(), at, 1, days_ago=365)
    report = scan(store, warning_rules, clock)
    assert (report.new, report.updated, report.unchanged) == (1, 0, 0)
    assert warnings_of(store, below) == []
    [warning] = warnings_of(store, at)
    assert warning.status == "open" and warning.subject_name == "测试企业2有限公司"
    assert warning.reasons == {"penalty_count": {"count": 60, "threshold": 60, "window_days": 365}}
    assert warning.evidence == {"record_ids": sorted(ids[:59], reverse=True) + ids[59:], "total": 60}
    assert inbox(store, warning.id) == {"XM-SCJG"}
    assert report.thresholds == {"penalty_count": 60, "penalty_window_days": 365, "department_count": 3,
                                 "serious_list_count": 2}


def test_three_departments_warn_and_two_do_not(store, clock, warning_rules):
    two, three = add_subjects(store, clock.now(), 3, 4)
    for department in ("XM-SCJG", "XM-YJ"):
        add_records(store, clock.now(), two, department=department)
    add_records(store, clock.now(), two, department="XM-HB", days_ago=366)  # outside the window
    add_records(store, clock.now(), two, department="XM-XF", kind="breach")  # not a penalty
    ids = [add_records(store, clock.now(), three, department=d, days_ago=days)[0]
           for d, days in (("XM-SCJG", 5), ("XM-YJ", 100), ("XM-HB", 365))]
    assert scan(store, warning_rules, clock).new == 1
    assert warnings_of(store, two) == []
    [warning] = warnings_of(store, three)
    assert warning.reasons == {"department_count": {"count": 3, "threshold": 3, "window_days": 365}}
    assert warning.evidence == {"record_ids": ids, "total": 3}
    assert inbox(store, warning.id) == {"XM-SCJG", "XM-YJ", "XM-HB"}


def test_two_serious_list_entries_warn_and_one_does_not(store, clock, warning_rules):
    one, two = add_subjects(store, clock.now(), 5, 6)
    add_records(store, clock.now(), one, kind="serious_list", days_ago=900)
    for status in ("stopped", "revoked", "expired"):  # repaired, revoked or over: no longer listed
        add_records(store, clock.now(), one, kind="serious_list", status=status, department="XM-YJ")
    listed = add_records(store, clock.now(), two, kind="serious_list", days_ago=900, department="XM-YJ")
    listed += add_records(store, clock.now(), two, kind="serious_list", status="suspended", department="XM-SW")
    penalty = add_records(store, clock.now(), two, department="XM-SCJG")  # no penalty rule fired: not evidence
    assert scan(store, warning_rules, clock).new == 1
    assert warnings_of(store, one) == []
    [warning] = warnings_of(store, two)
    assert warning.reasons == {"serious_list_count": {"count": 2, "threshold": 2}}
    assert set(warning.evidence["record_ids"]) == set(listed) and penalty[0] not in warning.evidence["record_ids"]
    assert inbox(store, warning.id) == {"XM-YJ", "XM-SW"}


def test_several_rules_at_once_and_evidence_capped(store, clock, warning_rules):
    [subject] = add_subjects(store, clock.now(), 7)
    old = add_records(store, clock.now(), subject, 20, days_ago=300, department="XM-YJ")
    new = add_records(store, clock.now(), subject, EVIDENCE_CAP, days_ago=1)
    listed = add_records(store, clock.now(), subject, 2, kind="serious_list", department="XM-HB")
    scan(store, warning_rules, clock)
    [warning] = warnings_of(store, subject)
    assert set(warning.reasons) == {"penalty_count", "serious_list_count"}
    assert warning.reasons["penalty_count"]["count"] == EVIDENCE_CAP + 20
    ids = warning.evidence["record_ids"]
    assert warning.evidence["total"] == EVIDENCE_CAP + 22 and len(ids) == EVIDENCE_CAP
    assert ids[:2] == sorted(listed, reverse=True) and not set(old) & set(ids) and set(ids[2:]) <= set(new)
    assert inbox(store, warning.id) == {"XM-SCJG", "XM-YJ", "XM-HB"}  # every department, not only the first 500


def test_departments_see_only_their_inbox(store, clock, warning_rules):
    a, b = add_subjects(store, clock.now(), 8, 9)
    add_records(store, clock.now(), a, 60, department="XM-SCJG")
    add_records(store, clock.now(), b, 2, kind="serious_list", department="XM-YJ")
    scan(store, warning_rules, clock)
    with store.read() as session:
        everything = list_warnings(session)
        assert {w.subject_code for w in everything.items} == {a, b} and everything.next_cursor is None
        [mine] = list_warnings(session, department_code="XM-YJ").items
        assert mine.subject_code == b
        assert list_warnings(session, department_code="XM-HB").items == []
        with pytest.raises(NotFound):
            get_warning(session, mine.id, department_code="XM-SCJG")
        document = warning_document(session, mine.id, department_code="XM-YJ")
        assert document["departments"] == [{"code": "XM-YJ", "name": "XM-YJ"}]
        assert [r["kind"] for r in document["records"]] == ["serious_list", "serious_list"]
        assert document["records"][0]["decision_no"].startswith("厦罚") and document["records"][0]["decision_date"]
        first, = list_warnings(session, limit=1).items
        page = list_warnings(session, limit=1)
        assert page.next_cursor == first.id and list_warnings(session, limit=1, cursor=page.next_cursor).items
    assert department_scope(Actor("d", frozenset({"department"}), department_code="XM-YJ")) == "XM-YJ"
    assert department_scope(Actor("r", frozenset({"reviewer"}))) is None
    for outsider in (Actor("d", frozenset({"department"})), Actor("a", frozenset({"applicant"}))):
        with pytest.raises(Forbidden):
            department_scope(outsider)


def test_rescans_update_instead_of_duplicating(store, clock, warning_rules):
    [subject] = add_subjects(store, clock.now(), 10)
    first = add_records(store, clock.now(), subject, 60, days_ago=30)
    scan(store, warning_rules, clock)
    again = scan(store, warning_rules, clock)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    [warning] = warnings_of(store, subject)
    created_at = warning.created_at
    later = add_records(store, clock.now(), subject, 2, days_ago=1, department="XM-YJ")
    clock.advance(hours=24)
    report = scan(store, warning_rules, clock)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 0)
    [warning] = warnings_of(store, subject)
    assert warning.reasons["penalty_count"]["count"] == 62 and warning.created_at == created_at
    assert warning.evidence["record_ids"][:2] == sorted(later, reverse=True) and warning.updated_at == clock.now()
    assert inbox(store, warning.id) == {"XM-SCJG", "XM-YJ"}
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(WarningDepartment)) == 2
        assert session.scalar(select(func.count()).where(CaseEvent.kind == "warning_scan")) == 2  # changes only
    clock.advance(days=30)  # the 60 first penalties are now 61 days old: still inside, unchanged
    assert scan(store, warning_rules, clock).unchanged == 1
    clock.set("2027-09-01T10:00:00+08:00")  # the first 60 left the window: below every threshold now
    report = scan(store, warning_rules, clock)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 0)
    [warning] = warnings_of(store, subject)  # a scan never closes a warning: people do, after the interview
    assert warning.status == "open" and warning.evidence["total"] == 62 and first[0] in warning.evidence["record_ids"]


def test_closed_warning_reopens_only_while_still_over_a_threshold(store, clock, warning_rules):
    still, cured = add_subjects(store, clock.now(), 11, 12)
    add_records(store, clock.now(), still, 60)
    listed = add_records(store, clock.now(), cured, 2, kind="serious_list", department="XM-YJ")
    scan(store, warning_rules, clock)
    [old_still], [old_cured] = warnings_of(store, still), warnings_of(store, cured)
    with store.write() as uow:
        for warning in (old_still, old_cured):
            close_warning(uow.session, warning.id, "dept1", clock.now(), "已约谈，督促整改")
        repaired = update(CreditRecord).where(CreditRecord.id == listed[0]).values(publicity_status="stopped")
        uow.session.execute(repaired)  # one list entry repaired: one left, below the threshold
        uow.commit()
    report = scan(store, warning_rules, clock)
    assert (report.new, report.updated, report.unchanged) == (1, 0, 0)
    closed, reopened = warnings_of(store, still)
    assert (closed.status, closed.closed_by, closed.evidence["close_note"]) == ("closed", "dept1", "已约谈，督促整改")
    assert reopened.status == "open" and reopened.reasons["penalty_count"]["count"] == 60
    assert [w.status for w in warnings_of(store, cured)] == ["closed"]
    assert scan(store, warning_rules, clock).new == 0


def test_closing_needs_a_note_and_an_open_warning(store, clock, warning_rules):
    [subject] = add_subjects(store, clock.now(), 13)
    add_records(store, clock.now(), subject, 2, kind="serious_list", department="XM-YJ")
    scan(store, warning_rules, clock)
    [warning] = warnings_of(store, subject)
    with store.write() as uow:
        for note in ("", "  ", "长" * 501):
            with pytest.raises(InvalidInput):
                close_warning(uow.session, warning.id, "admin1", clock.now(), note)
        with pytest.raises(NotFound):  # another department's officer
            close_warning(uow.session, warning.id, "dept1", clock.now(), "已整改", department_code="XM-SCJG")
        close_warning(uow.session, warning.id, "dept2", clock.now(), "已整改", department_code="XM-YJ")
        with pytest.raises(Conflict):
            close_warning(uow.session, warning.id, "admin1", clock.now(), "再次关闭")
        uow.commit()
    with store.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "warning_closed")).one()
        assert event.actor == "dept2" and event.after == {"warning_id": warning.id, "status": "closed", "note": "已整改"}
        assert list_warnings(session).items == [] and len(list_warnings(session, status="closed").items) == 1
        with pytest.raises(InvalidInput):
            list_warnings(session, status="pending")


def test_thresholds_come_from_the_decision_table(store, clock, warning_rules_dir, tmp_path):
    text = (warning_rules_dir / RULES_FILE.name).read_text(encoding="utf-8")
    stricter = text.replace('<outputEntry id="r_xiamen_2022_penalties"><text>60</text>',
                            '<outputEntry id="r_xiamen_2022_penalties"><text>5</text>')
    assert stricter != text
    (tmp_path / RULES_FILE.name).write_text(stricter, encoding="utf-8")
    [subject] = add_subjects(store, clock.now(), 14)
    add_records(store, clock.now(), subject, 5)
    report = scan(store, RuleBook.from_directory(tmp_path), clock)
    assert report.new == 1 and report.thresholds["penalty_count"] == 5


def test_scan_warnings_command(store, clock, db_url, warning_rules_dir, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from webapp.cli import CommandContext
    from webapp.cli.service import scan_warnings_command
    [subject] = add_subjects(store, clock.now(), 15)
    add_records(store, clock.now(), subject, 2, kind="serious_list")
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_BPMN_DIR", str(warning_rules_dir))
    result = CliRunner().invoke(scan_warnings_command, ["--actor", "cron"], obj=CommandContext(clock=clock))
    assert result.exit_code == 0 and "新增 1 条，更新 0 条，未变 0 条" in result.output
    with store.read() as session:
        assert session.scalars(select(CaseEvent.actor).where(CaseEvent.kind == "warning_scan")).one() == "cron"
    monkeypatch.setenv("CREDIT_CASES_BPMN_DIR", str(tmp_path))  # no decision table: a clear error, no change
    failed = CliRunner().invoke(scan_warnings_command, [], obj=CommandContext(clock=clock))
    assert failed.exit_code == 1 and "warning_thresholds" in failed.output
    assert len(warnings_of(store, subject)) == 1
