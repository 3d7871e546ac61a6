"""The training pages: staff list (upcoming first), the create form, the session page (enroll,
attendance, CSV import, certificate downloads), read-only departments, and `/training/my`."""
from __future__ import annotations

import io

from webapp import create_app
from workflows.training.service import create_session, enroll, record_attendance

from tests.support.letters import drain_app_letters
from tests.support.training import COMPANY, HEADER, NAMES, OTHER, PERSON, REVIEWER, SESSION, pdf_text
from tests.support.web import PASSWORD, csrf_token_from, login, page


def add_session(store, clock, **changes) -> int:
    with store.write() as uow:
        row = create_session(uow.session, SESSION | changes, REVIEWER, clock.now())
        uow.commit()
    return row.id


def test_staff_list_upcoming_first_with_counts(client, people, store, clock):
    later = add_session(store, clock, course="第五期培训", starts_at="2026-11-20T09:00:00+08:00")
    past = add_session(store, clock, course="第三期培训", starts_at="2026-06-01T09:00:00+08:00")
    soon = add_session(store, clock, course="第四期培训", capacity=2)
    with store.write() as uow:
        enroll(uow.session, soon, COMPANY, "陈志明", REVIEWER, clock.now())
        enroll(uow.session, soon, OTHER, "林海", REVIEWER, clock.now())
        uow.commit()
    login(client, "reviewer1")
    listing = page(client, "/training/")
    order = [listing.index(f'data-session="{n}"') for n in (soon, later, past)]
    assert order == sorted(order)
    assert "2 / 2" in listing and "已满" in listing and "信用修复培训" in listing
    assert 'id="new-session"' not in listing  # only the credit office creates sessions
    assert page(client, "/training/new", 403)


def test_the_credit_office_creates_a_session(client, people, store):
    login(client, "admin1")
    assert "新建培训场次" in page(client, "/training/new")
    refused = client.post("/training/new", data={"course": "", "mode": "offline", "capacity": "0"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "请填写培训名称" in text and "线下培训请填写培训地点" in text
    made = client.post("/training/new", data={**SESSION, "starts_at": "2026-10-10T09:00", "capacity": "30"})
    assert made.status_code == 302
    detail = page(client, made.headers["Location"])
    assert "2026年第四期信用修复专题培训" in detail and "2026-10-10 09:00" in detail and "已报名 0 人，共 30 个名额" in detail


def test_session_page_enroll_attend_and_download(client, people, store, clock):
    session_id = add_session(store, clock)
    login(client, "reviewer1")
    done = client.post(f"/training/{session_id}/enrollments", data={"subject_code": COMPANY, "attendee": "陈志明"})
    assert done.status_code == 302
    again = client.post(f"/training/{session_id}/enrollments", data={"subject_code": COMPANY, "attendee": "陈志明"},
                        follow_redirects=True)
    assert "已报名本场培训，不能重复报名" in again.get_data(as_text=True)
    detail = page(client, f"/training/{session_id}")
    assert NAMES[COMPANY] in detail and "登记参训" in detail
    enrollment_id = int(detail.split('data-enrollment="')[1].split('"')[0])
    early = client.post(f"/training/enrollments/{enrollment_id}/attendance", data={"attended": "1"},
                        follow_redirects=True)
    assert "培训尚未举行" in early.get_data(as_text=True)
    clock.set("2026-10-10T16:00:00+08:00")
    attended = client.post(f"/training/enrollments/{enrollment_id}/attendance", data={"attended": "1"},
                           follow_redirects=True)
    text = attended.get_data(as_text=True)
    assert "已出具培训证明 泉信用培〔2026〕1号" in text
    # rendered after the commit: the page says so instead of linking to a PDF that would answer 202
    assert "/api/v1/letters/1.pdf" not in text and "letter-pending" in text
    assert client.get("/api/v1/letters/1.pdf").status_code == 202
    drain_app_letters(client)
    detail = page(client, f"/training/{session_id}")
    assert "/api/v1/letters/1.pdf" in detail and "letter-pending" not in detail
    pdf = client.get("/api/v1/letters/1.pdf")
    assert pdf.status_code == 200 and "泉信用培〔2026〕1号" in pdf_text(pdf.data)


def test_departments_read_only(client, people, store, clock):
    session_id = add_session(store, clock)
    login(client, "dept1")
    assert "2026年第四期信用修复专题培训" in page(client, "/training/")
    detail = page(client, f"/training/{session_id}")
    assert 'id="enroll-form"' not in detail and 'id="import-form"' not in detail
    assert client.post(f"/training/{session_id}/enrollments", data={"subject_code": COMPANY}).status_code == 403


def test_attendance_import_page_all_or_nothing(client, people, store, clock):
    session_id = add_session(store, clock, mode="online", place="")
    with store.write() as uow:
        enroll(uow.session, session_id, COMPANY, "陈志明", REVIEWER, clock.now())
        uow.commit()
    clock.set("2026-10-10T18:00:00+08:00")
    login(client, "reviewer1")

    def upload(*lines: str):
        data = {"file": (io.BytesIO("\n".join([HEADER, *lines]).encode("gb18030")), "参训.csv")}
        return client.post(f"/training/{session_id}/attendance-import", data=data, content_type="multipart/form-data")

    bad = upload(f"{COMPANY},陈志明,是", f"{PERSON},张三,是").get_data(as_text=True)
    assert "未登记任何参训情况：有 1 行存在问题" in bad and "该主体未报名本场培训" in bad and "泉信用培" not in bad
    good = upload(f"{COMPANY},陈志明,是").get_data(as_text=True)
    assert "参训情况已导入：参训 1 人" in good and "泉信用培〔2026〕1号" in good


def test_applicant_enrolls_and_downloads_the_certificate(client, people, store, clock):
    session_id = add_session(store, clock)
    closed = add_session(store, clock, course="已结束的培训", starts_at="2026-09-01T09:00:00+08:00")
    login(client, "applicant1")
    assert client.get("/training/").headers["Location"].endswith("/training/my")
    assert "/training" in page(client, "/")  # the navigation entry
    mine = page(client, "/training/my")
    assert "2026年第四期信用修复专题培训" in mine and "已结束的培训" not in mine and "报名" in mine
    done = client.post(f"/training/my/{session_id}/enroll", data={"attendee": "陈志明"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "报名成功" in text and "已报名" in text and "取消报名" in text
    assert "不能报名" in client.post(f"/training/my/{closed}/enroll", data={"attendee": "陈志明"},
                                     follow_redirects=True).get_data(as_text=True)
    assert page(client, f"/training/{session_id}", 403)
    clock.set("2026-10-10T16:00:00+08:00")
    with store.write() as uow:
        row = record_attendance(uow.session, 1, True, REVIEWER, clock.now(), "https://credit.example")
        uow.commit()
    mine = page(client, "/training/my")
    assert row.certificate_no in mine and "letter-pending" in mine
    assert f"/api/v1/letters/{row.certificate_letter_id}.pdf" not in mine
    drain_app_letters(client)
    mine = page(client, "/training/my")
    assert f"/api/v1/letters/{row.certificate_letter_id}.pdf" in mine and "letter-pending" not in mine
    assert client.get(f"/api/v1/letters/{row.certificate_letter_id}.pdf").status_code == 200
    client.post("/logout")
    login(client, "applicant2")
    assert client.get(f"/api/v1/letters/{row.certificate_letter_id}.pdf").status_code == 404
    assert row.certificate_no not in page(client, "/training/my")


def test_applicant_enrollment_needs_the_csrf_token(runtime, people, store, clock):
    session_id = add_session(store, clock)
    client = create_app({"TESTING": True, "RUNTIME": runtime}).test_client()  # CSRF on
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "applicant1", "password": PASSWORD,
                                "csrf_token": csrf_token_from(login_page)})
    assert client.post(f"/training/my/{session_id}/enroll", data={"attendee": "陈志明"}).status_code == 400
    token = csrf_token_from(page(client, "/training/my").split('class="d-flex gap-2 enroll-form"')[1])
    done = client.post(f"/training/my/{session_id}/enroll", data={"attendee": "陈志明", "csrf_token": token})
    assert done.status_code == 302 and "已报名" in page(client, "/training/my")
