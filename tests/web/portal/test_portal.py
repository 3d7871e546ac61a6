"""Applicant portal: registration, my records and cases, notifications (SQLite and PostgreSQL).

Filing, the case page, supplements and withdrawal are in test_portal_repair.py; both use
the fixtures of conftest.py (subjects, applicants, records made through the records service).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp import create_app
from workflows.core.models.cases import CaseEvent, Notification
from workflows.core.models.people import SubjectBinding, User
from workflows.people.users import verify_password

from tests.support.portal import NAMES, SUBJECT_A, SUBJECT_B, ask_for_supplement, file_by_form, logged_in, page
from tests.support.web import csrf_token_from, login


def registration(**changes: str) -> dict[str, str]:
    form = {"username": "newco", "password": "long enough 1", "confirm": "long enough 1",
            "display_name": "王五", "phone": "13805951234"}
    return {**form, **changes}


# -- registration ---------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"username": "applicant1"}, "用户名已被使用"),
    ({"display_name": ""}, "请填写您的姓名"),
    ({"display_name": "王" * 101}, "姓名不超过100个字"),
    ({"confirm": "something else"}, "两次输入的密码不一致"),
    ({"password": "short", "confirm": "short"}, "密码至少10位"),
    ({"password": "1234567890", "confirm": "1234567890"}, "密码过于常见"),
    ({"password": "newco-newco", "confirm": "newco-newco", "username": "newco-newco"}, "密码不能与用户名相同"),
    ({"phone": "12345"}, "请填写11位手机号码"),
])
def test_registration_refuses_bad_input_and_changes_nothing(client, store, portal_world, changes, message):
    response = client.post("/portal/register", data=registration(**changes))
    assert response.status_code == 400 and message in page(response)
    with store.read() as session:
        assert session.scalars(select(User.username).where(User.username == "newco")).first() is None
    assert client.get("/portal/").status_code == 302  # still anonymous


def test_registration_creates_an_account_that_sees_no_subject(client, store, portal_world):
    """Typing a company's credit code proves nothing: a new account is bound to no subject, so
    it reads no subject's records, cases or check result until a binding is approved."""
    response = client.post("/portal/register", data=registration())
    assert response.status_code == 302
    with store.read() as session:
        user = session.scalars(select(User).where(User.username == "newco")).one()
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "applicant_registered")).one()
        bindings = session.scalars(select(SubjectBinding).where(SubjectBinding.user_id == user.id)).all()
    assert (user.role_set, user.subject_code, user.display_name, bindings) == ({"applicant"}, None, "王五", [])
    assert verify_password(user, "long enough 1")
    assert event.after["contact_phone"] == "13805951234" and event.case_id is None
    assert client.get(f"/api/v1/check/{SUBJECT_A}").status_code == 403
    for path in ("/portal/records", "/portal/repair/new", "/portal/commitments"):
        assert NAMES[SUBJECT_A] not in page(client.get(path))


def test_registration_with_csrf_enabled(runtime, store, portal_world):
    client = create_app({"TESTING": True, "RUNTIME": runtime}).test_client()
    assert client.post("/portal/register", data=registration()).status_code == 400  # no token
    token = csrf_token_from(page(client.get("/portal/register")))
    assert client.post("/portal/register", data={**registration(), "csrf_token": token}).status_code == 302


def test_applicants_land_on_the_portal_after_login(client, portal_world):
    assert login(client, "applicant1").headers["Location"] == "/portal"
    assert client.get("/portal/register").status_code == 302  # already logged in


def test_staff_may_not_use_the_portal(client, portal_world):
    login(client, "reviewer1")
    assert client.get("/portal/").status_code == 403


# -- home -----------------------------------------------------------------------------------

def test_home_lists_only_my_records_with_earliest_repair_dates(client, make_portal_record):
    eligible = make_portal_record("2026-05-10")                 # Order 36, general: min 3 months → 2026-08-10
    waiting = make_portal_record("2026-07-01")                  # → 2026-10-01, after today (2026-09-30)
    foreign = make_portal_record("2026-05-11", subject=SUBJECT_B)
    login(client, "applicant1")
    html = page(client.get("/portal/"))
    assert "泉市监罚〔2026〕0510号" in html and "泉市监罚〔2026〕0701号" in html
    assert "泉市监罚〔2026〕0511号" not in html and f'data-record="{foreign}"' not in html
    assert "2026-08-10" in html and "2026-10-01" in html
    assert "2026-05-10 — 2027-05-09" in html  # Order 36 general: shown for 1 year
    assert f"/portal/repair/new?record={eligible}" in html
    assert f"/portal/repair/new?record={waiting}" not in html and "可于2026年10月1日后申请" in html
    assert "行政处罚 · 一般" in html and "公示中" in html


def test_home_shows_what_is_expected_of_me(client, runtime, make_portal_record):
    record = make_portal_record("2026-05-10")
    login(client, "applicant1")
    case = file_by_form(client, record)
    assert "审核中，办理时限至 2026-10-08 23:59" in page(client.get("/portal/"))
    ask_for_supplement(runtime, case)
    html = page(client.get("/portal/"))
    assert "请于 2026-10-13 23:59 前补正材料" in html
    assert f"/portal/repair/new?record={record}" not in html and f"/portal/cases/{case}" in html


def test_notifications_are_mine_and_can_be_marked_read(client, app, runtime, store, make_portal_record, clock):
    login(client, "applicant1")
    case = file_by_form(client, make_portal_record("2026-05-10"))
    html = page(client.get("/portal/"))
    assert "您的信用修复申请已受理" in html
    with store.read() as session:
        [mine] = session.scalars(select(Notification).where(Notification.username == "applicant1")).all()
    assert logged_in(app, "applicant2").post(f"/portal/notifications/{mine.id}/read").status_code == 404
    assert client.post(f"/portal/notifications/{mine.id}/read").status_code == 302
    with store.read() as session:
        assert session.get(Notification, mine.id).read_at == clock.now()
    assert "您的信用修复申请已受理" not in page(client.get("/portal/"))
    assert client.post(f"/portal/notifications/{mine.id}/read").status_code == 404  # already read
    ask_for_supplement(runtime, case)
    assert "前补正材料：罚款缴纳凭证" in page(client.get("/portal/"))
    assert client.post("/portal/notifications/read").status_code == 302
    with store.read() as session:
        unread = session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert unread == []

