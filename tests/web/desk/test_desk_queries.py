"""The desk's and the API's workflows queries called directly: inbox page, case page, task
page, case answer, case files, interview calendar and sources, walk-in lookup."""
from __future__ import annotations

import pytest

from tests.support.api_cases import SUBJECT_A, SUBJECT_B, file_request, start_interview
from tests.support.web import token_for
from workflows.core.errors import NotFound
from workflows.engine.inbox import InboxFilter
from workflows.kinds.common.case_files import case_files
from workflows.kinds.common.case_reading import case_answer, task_page
from workflows.kinds.common.desk_pages import desk_case_page, inbox_page
from workflows.kinds.interview.desk import interview_calendar, interview_source
from workflows.kinds.objection.walk_in import walk_in_subject
from workflows.people.access import Actor

REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
SUPERVISOR = Actor("supervisor1", frozenset({"supervisor"}))
DEPT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")
DEPT2 = Actor("dept2", frozenset({"department"}), department_code="QZ-STHJ")
OTHER_APPLICANT = Actor("applicant2", frozenset({"applicant"}), subject_code=SUBJECT_B)


@pytest.fixture
def repair_case(client, make_record) -> int:
    return file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()["id"]


def test_only_supervisors_get_reviewers_to_hand_tasks_to(runtime, clock, repair_case):
    for actor, reviewers in ((REVIEWER, []), (SUPERVISOR, ["reviewer1", "reviewer2"])):
        page = inbox_page(runtime.store, actor, InboxFilter(), clock.now(), 50, None)
        assert [case.id for _task, case in page.rows] == [repair_case] and page.counts["group"] == 1
        assert page.reviewers == reviewers


def test_desk_case_page_offers_reassignment_to_supervisors_only(runtime, repair_case):
    for actor, assignees in ((REVIEWER, []), (SUPERVISOR, ["reviewer1", "reviewer2", "supervisor1"])):
        page = desk_case_page(runtime.engine, actor, repair_case)
        assert [t.bpmn_id for t in page["workable"]] == ["first_review"]
        assert [names for names in page["assignees"].values()] == ([assignees] if assignees else [])
    with pytest.raises(NotFound):
        desk_case_page(runtime.engine, OTHER_APPLICANT, repair_case)


def test_task_page_pages_by_due_time(runtime, clock, repair_case):
    page = task_page(runtime.store, REVIEWER, InboxFilter(), clock.now(), 1, None)
    assert [item["case"]["kind"] for item in page.items] == ["repair"] and page.last_of_page is None
    assert task_page(runtime.store, OTHER_APPLICANT, InboxFilter(), clock.now(), 1, None).items == []


def test_case_answer_and_files_are_for_readers_only(runtime, repair_case):
    assert case_answer(runtime.store, REVIEWER, repair_case)["id"] == repair_case
    assert case_files(runtime.store, REVIEWER, repair_case) == []
    for read in (case_answer, case_files):
        with pytest.raises(NotFound):
            read(runtime.store, OTHER_APPLICANT, repair_case)


def test_interview_calendar_is_the_departments_own(client, runtime, make_record, other_department):
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    [(day, [appointment])] = interview_calendar(runtime.store, SUPERVISOR)
    assert (day, appointment.case.id, appointment.at.strftime("%H:%M")) == ("2026-10-12", doc["id"], "09:30")
    assert interview_calendar(runtime.store, DEPT)[0][1][0].case.id == doc["id"]
    assert interview_calendar(runtime.store, DEPT2) == []
    source = interview_source(runtime.store, None, record_id)
    assert source.subject_code == SUBJECT_A and [r.id for r in source.records] == [record_id]
    assert interview_source(runtime.store, None, None).subject_code is None


def test_walk_in_lookup_lists_objectable_records(store, make_record):
    record_id = make_record("2026-05-10")
    found = walk_in_subject(store, SUBJECT_A)
    assert found.subject.code == SUBJECT_A and [r.id for r in found.records] == [record_id]
    assert walk_in_subject(store, "91350100M000100Y00").subject is None


def test_desk_marks_a_due_time_in_an_estimated_year_as_provisional(app, client, clock, make_record, users):
    """Filed on the last working day of the last year `holidays` knows, the review falls due in
    the next year, whose holiday notice is not entered: the desk says the date is an estimate."""
    from tests.support.web import login
    from workflows.core.calendar import official_years

    year = max(official_years()) + 1
    clock.set(f"{year - 1}-12-31T10:00:00+08:00")
    case_id = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()["id"]
    desk = app.test_client()
    login(desk, "reviewer1")
    inbox = desk.get("/desk/").get_data(as_text=True)
    case_page = desk.get(f"/desk/cases/{case_id}").get_data(as_text=True)
    for page in (inbox, case_page):
        assert "provisional-due" in page and "该年度国务院放假安排尚未录入确认，此期限为估算。" in page
    admin = app.test_client()
    login(admin, "admin1")
    assert admin.post("/admin/calendar/years", data={"year": year}).status_code == 302
    assert "provisional-due" not in desk.get(f"/desk/cases/{case_id}").get_data(as_text=True)
