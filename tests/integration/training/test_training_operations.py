"""Training operations and queries called directly: who may do what, one commit each."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from workflows.core.errors import Forbidden
from workflows.people.access import Actor
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.training.operations import cancel, enroll_subject, import_attendance_list, mark_attendance, open_session
from workflows.training.queries import applicant_view, certificate_verdict, session_page, sessions_for

from tests.support.db import count
from tests.support.training import ADMIN, COMPANY, HEADER, OTHER, REVIEWER, SESSION, URL, letter_count

APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY)
AUDITOR = Actor("auditor1", frozenset({"auditor"}))
DEPT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")


def test_only_the_credit_office_opens_sessions(store, clock, subjects):
    with pytest.raises(Forbidden):
        open_session(store, REVIEWER, SESSION, clock.now())
    assert count(store, TrainingSession) == 0
    row = open_session(store, ADMIN, SESSION, clock.now())
    assert row.status == "open" and [s.session.id for s in sessions_for(store, APPLICANT, clock.now())] == [row.id]


def test_applicants_enroll_their_own_subject_and_cancel(store, clock, subjects):
    session_id = open_session(store, ADMIN, SESSION, clock.now()).id
    with pytest.raises(Forbidden):
        enroll_subject(store, APPLICANT, session_id, OTHER, "陈志明", clock.now())
    with pytest.raises(Forbidden):
        enroll_subject(store, DEPT, session_id, COMPANY, "陈志明", clock.now())
    row = enroll_subject(store, APPLICANT, session_id, COMPANY, "陈志明", clock.now())
    assert applicant_view(store, APPLICANT, clock.now()).taken == {session_id}
    assert cancel(store, APPLICANT, row.id, clock.now()).status == "cancelled"
    assert applicant_view(store, APPLICANT, clock.now()).taken == set()


def test_attendance_issues_a_certificate_that_checks_out(store, clock, subjects):
    session_id = open_session(store, ADMIN, SESSION, clock.now()).id
    row = enroll_subject(store, REVIEWER, session_id, COMPANY, "陈志明", clock.now())
    clock.set("2026-10-10T17:00:00+08:00")  # the day of the training
    with pytest.raises(Forbidden):
        mark_attendance(store, AUDITOR, row.id, True, clock.now(), URL)
    done = mark_attendance(store, REVIEWER, row.id, True, clock.now(), URL)
    assert done.status == "attended" and letter_count(store) == 1
    assert certificate_verdict(store, AUDITOR, COMPANY, done.certificate_no).id == row.id
    assert certificate_verdict(store, AUDITOR, OTHER, done.certificate_no) is None
    page = session_page(store, AUDITOR, session_id)
    assert (page.summary.taken, page.summary.attended) == (1, 1)


def test_an_attendance_list_with_a_bad_row_records_nothing(store, clock, subjects):
    session_id = open_session(store, ADMIN, SESSION, clock.now()).id
    enroll_subject(store, REVIEWER, session_id, COMPANY, "陈志明", clock.now())
    clock.set("2026-10-10T17:00:00+08:00")
    report = import_attendance_list(store, REVIEWER, session_id, f"{HEADER}\n{COMPANY},陈志明,是\nbad,某人,是\n",
                                    clock.now(), URL)
    assert report.errors and letter_count(store) == 0
    with store.read() as session:
        assert session.scalars(select(Enrollment.status)).all() == ["enrolled"]
