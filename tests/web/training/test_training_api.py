"""The training API: who may create sessions, enroll and record attendance, the certificate
check a repair review uses, and the routes' OpenAPI descriptions."""
from __future__ import annotations

from urllib.parse import quote

from tests.support.letters import drain_app_letters
from tests.support.training import COMPANY, NAMES, OTHER, SESSION, pdf_text
from tests.support.web import bearer, token_for

SESSIONS = "/api/v1/training/sessions"


def auth(client, username: str) -> dict[str, str]:
    return bearer(token_for(client, username))


def new_session(client, admin, **changes) -> dict:
    made = client.post(SESSIONS, headers=admin, json=SESSION | changes)
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_only_the_credit_office_creates_sessions(client, people):
    admin = auth(client, "admin1")
    assert client.post(SESSIONS, headers=auth(client, "reviewer1"), json=SESSION).status_code == 403
    bad = client.post(SESSIONS, headers=admin, json=SESSION | {"capacity": 0, "place": ""})
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"capacity", "place"}
    made = new_session(client, admin)
    assert made["starts_at"] == "2026-10-10T09:00:00+08:00" and (made["taken"], made["capacity"]) == (0, 30)
    new_session(client, admin, course="第二场培训")
    listed = client.get(SESSIONS, headers=auth(client, "applicant1")).get_json()["items"]
    assert [item["course"] for item in listed] == [SESSION["course"], "第二场培训"]


def test_enrollment_roles_and_refusals(client, people):
    session = new_session(client, auth(client, "admin1"), capacity=2)
    enrollments = f"{SESSIONS}/{session['id']}/enrollments"
    applicant = auth(client, "applicant1")
    other = client.post(enrollments, headers=applicant, json={"subject_code": OTHER, "attendee": "林海"})
    assert other.status_code == 403
    mine = client.post(enrollments, headers=applicant, json={"attendee": "陈志明"})
    assert mine.status_code == 201 and mine.get_json()["subject_code"] == COMPANY
    twice = client.post(enrollments, headers=applicant, json={"attendee": "陈志明"})
    assert twice.status_code == 409 and "不能重复报名" in twice.get_json()["message"]
    assert client.post(enrollments, headers=auth(client, "dept1"), json={"subject_code": OTHER}).status_code == 403
    reviewer = auth(client, "reviewer1")
    assert client.post(enrollments, headers=reviewer, json={"subject_code": OTHER, "attendee": "林海"}).status_code == 201
    full = client.post(enrollments, headers=reviewer, json={"subject_code": "11010519491231002X"})
    assert full.status_code == 409 and "名额已满" in full.get_json()["message"]
    assert client.get(SESSIONS, headers=reviewer).get_json()["items"][0]["taken"] == 2


def test_attendance_by_staff_only_and_the_certificate_check(client, people, clock):
    session = new_session(client, auth(client, "admin1"))
    applicant, reviewer = auth(client, "applicant1"), auth(client, "reviewer1")
    enrollment = client.post(f"{SESSIONS}/{session['id']}/enrollments", headers=applicant,
                             json={"attendee": "陈志明"}).get_json()
    attendance = f"/api/v1/training/enrollments/{enrollment['id']}/attendance"
    clock.set("2026-10-10T16:00:00+08:00")  # training day; tokens last 12 hours
    applicant, reviewer = auth(client, "applicant1"), auth(client, "reviewer1")
    assert client.post(attendance, headers=applicant, json={"attended": True}).status_code == 403
    assert client.post(attendance, headers=reviewer, json={"attended": "yes"}).status_code == 400
    done = client.post(attendance, headers=reviewer, json={"attended": True})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["status"] == "attended" and body["certificate_no"] == "泉信用培〔2026〕1号"
    drain_app_letters(client)
    pdf = client.get(body["certificate_url"], headers=applicant)
    assert pdf.status_code == 200 and NAMES[COMPANY] in pdf_text(pdf.data)
    assert client.post(attendance, headers=reviewer, json={"attended": False}).status_code == 409
    check = f"/api/v1/training/certificates/{quote(body['certificate_no'])}"
    right = client.get(f"{check}?subject={COMPANY}", headers=reviewer).get_json()
    assert right["valid"] is True and right["enrollment"]["id"] == enrollment["id"]
    assert client.get(f"{check}?subject={OTHER}", headers=reviewer).get_json() == {"valid": False, "enrollment": None}
    assert client.get(check, headers=reviewer).status_code == 400
    assert client.get(f"{check}?subject={COMPANY}", headers=applicant).status_code == 403


def test_openapi_describes_the_training_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths[SESSIONS]["post"]["x-roles"] == ["admin"]
    assert "applicant" in paths[f"{SESSIONS}/{{session_id}}/enrollments"]["post"]["x-roles"]
    assert "applicant" not in paths["/api/v1/training/enrollments/{enrollment_id}/attendance"]["post"]["x-roles"]
    assert "/api/v1/training/certificates/{number}" in paths
