"""The staff interview calendar after an applicant reschedules (issue 13: it was a 500 for every
role that saw the interview, the reschedule event carried no details)."""
from __future__ import annotations

from sqlalchemy import select

from workflows.core.models.cases import CaseEvent
from workflows.people.users import create_user

from tests.support.api_cases import start_interview
from tests.support.web import PASSWORD, bearer, login, token_for

MOVED_TO = "2026-10-14T14:00:00+08:00"
NEW_PLACE = "泉州市信用中心第二约谈室"


def _calendar(client, username: str) -> str:
    client.post("/logout")
    login(client, username)
    response = client.get("/desk/interviews")
    assert response.status_code == 200, (username, response.status_code)
    return response.get_data(as_text=True)


def _staff_who_see_everything(store, clock) -> None:
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        create_user(uow.session, "auditor1", PASSWORD, ["auditor"], clock.now())
        uow.commit()


def test_calendar_shows_the_rescheduled_interview_to_every_staff_role(client, store, clock, make_record,
                                                                      other_department):
    _staff_who_see_everything(store, clock)
    doc = start_interview(client, token_for(client, "dept1"), [make_record("2026-05-10")]).get_json()
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(token_for(client, "applicant1")),
                        json={"scheduled_at": MOVED_TO, "place": NEW_PLACE, "reason": "负责人出差"})
    assert moved.status_code == 200, moved.get_json()
    with store.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == doc["id"],
                                                        CaseEvent.kind == "interview_rescheduled")).one()
    assert event.after["place"] == NEW_PLACE and event.after["scheduled_at"].startswith("2026-10-14T14:00")
    for username in ("dept1", "reviewer1", "supervisor1", "admin1", "auditor1"):
        page = _calendar(client, username)
        assert "2026-10-14" in page and "14:00" in page and NEW_PLACE in page, username
        assert "2026-10-12" not in page, username
    assert "2026-10-14" not in _calendar(client, "dept2")  # another department's interview


def test_calendar_reads_old_reschedule_events_without_details(client, store, clock, make_record):
    """Databases written before the fix hold reschedule events with no details: the calendar
    takes the time and place from the re-issued notice instead of failing."""
    doc = start_interview(client, token_for(client, "dept1"), [make_record("2026-05-10")]).get_json()
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(token_for(client, "applicant1")),
                        json={"scheduled_at": MOVED_TO, "place": NEW_PLACE, "reason": "负责人出差"})
    assert moved.status_code == 200
    with store.write() as uow:  # an old row, as the defective version wrote it
        uow.session.add(CaseEvent(case_id=doc["id"], at=clock.now(), actor="applicant1", kind="interview_rescheduled",
                                  summary="改期至 2026-10-14 14:00：负责人出差", before=None, after=None))
        uow.commit()
    page = _calendar(client, "dept1")
    assert "2026-10-14" in page and "14:00" in page and NEW_PLACE in page
    client.post("/logout")
    login(client, "applicant1")
    home = client.get("/portal/")
    assert home.status_code == 200 and NEW_PLACE in home.get_data(as_text=True)
