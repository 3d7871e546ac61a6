"""Operations of the smaller areas called directly: commitments (import, templates, register),
calendar overrides, API tokens, letters and the outbox. Each asks the policy and commits once."""
from __future__ import annotations

from datetime import date

import pytest

from workflows.engine.outbox import events_after
from workflows.archive.queries import recent_letters, verify
from workflows.administration.calendar import check_day, clear_day, find_override, list_overrides, set_day
from workflows.core.calendar_source import CalendarSource
from workflows.core.errors import Forbidden
from workflows.kinds.commitment.imports import import_for_department
from workflows.kinds.commitment.register import RegisterFilter, commitment_body, dashboard_for, register_view
from workflows.kinds.commitment.templates import save_version, template_history, template_overview
from workflows.people.access import Actor
from workflows.people.subjects import register_department
from workflows.people.tokens import actor_for_token, issue_for, revoke
from workflows.people.users import account, create_user

from tests.support.commitment_imports import GOOD, line, stored, write

ADMIN = Actor("admin1", frozenset({"admin"}))
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
AUDITOR = Actor("auditor1", frozenset({"auditor"}))
DEPT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code="91350100M000100Y43")
INTEGRATION = Actor("platform", frozenset({"integration"}))


def test_officers_import_only_for_their_department(store, clock, tmp_path):
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        uow.commit()
    with pytest.raises(Forbidden):
        import_for_department(store, REVIEWER, b"", "a.csv", clock.now())
    refused = import_for_department(store, DEPT, write(tmp_path / "a.csv", [line(department="XM-YJ")]).read_bytes(),
                                    "a.csv", clock.now(), requested="XM-YJ")
    assert refused.imported == 0 and refused.errors and stored(store) == {}
    report = import_for_department(store, DEPT, write(tmp_path / "b.csv", [GOOD]).read_bytes(), "b.csv", clock.now())
    assert report.imported == 1 and list(stored(store)) == ["35050020260901000001"]
    assert register_view(store, DEPT, RegisterFilter(), clock.now()).wanted.department_code == "QZ-SCJG"
    assert register_view(store, AUDITOR, RegisterFilter(), clock.now()).departments == [("QZ-SCJG", "泉州市市场监督管理局")]
    assert "verified_by" in commitment_body(store, AUDITOR, "35050020260901000001")
    assert dashboard_for(store, DEPT, clock.now())
    with pytest.raises(Forbidden):
        dashboard_for(store, APPLICANT, clock.now())


def test_only_the_credit_office_versions_standard_texts(store, clock):
    with pytest.raises(Forbidden):
        save_version(store, REVIEWER, "repair", "信用修复承诺书", "新的承诺文本", clock.now())
    row = save_version(store, ADMIN, "repair", "信用修复承诺书", "新的承诺文本", clock.now())
    assert row.version == 2 and [v[0] for v in template_history(store, ADMIN, "repair")] == [2, 1]
    assert dict((k, v) for k, _name, v in template_overview(store, ADMIN))["repair"] == 2


def test_calendar_overrides_need_the_calendar_permission(store, clock):
    source = CalendarSource(store, clock)
    with pytest.raises(Forbidden):
        set_day(source, REVIEWER, date(2026, 10, 11), True, "国庆调休")
    stored_override = set_day(source, ADMIN, date(2026, 10, 11), True, "国庆调休")
    assert (stored_override.working, stored_override.created_by) == (True, "admin1")
    assert [o.day for o in list_overrides(store)] == [date(2026, 10, 11)]
    assert check_day(store, source.get(), date(2026, 10, 11)).working is True
    assert clear_day(source, ADMIN, date(2026, 10, 11)) is True
    assert clear_day(source, ADMIN, date(2026, 10, 11)) is False and find_override(store, date(2026, 10, 11)) is None


def test_tokens_speak_for_their_user_until_revoked(store, clock):
    with store.write() as uow:
        user = create_user(uow.session, "reviewer1", "correct horse 42", ["reviewer"], clock.now())
        uow.commit()
    token, _expires = issue_for(store, user.id, clock.now(), 8)
    assert actor_for_token(store, token, clock.now()).username == "reviewer1"
    assert account(store, user.id, clock.now())[0].username == "reviewer1"
    assert revoke(store, token) is True and revoke(store, token) is False
    assert actor_for_token(store, token, clock.now()) is None


def test_letters_and_outbox_ask_the_policy(store):
    assert verify(store, "泉信修〔2026〕1号", "ABCD") is None
    assert recent_letters(store, AUDITOR).letters == []
    with pytest.raises(Forbidden):
        recent_letters(store, APPLICANT)
    assert events_after(store, INTEGRATION, 0, 10).items == []
    with pytest.raises(Forbidden):
        events_after(store, REVIEWER, 0, 10)
