"""Applicant portal: registration, my records and cases, notifications (SQLite and PostgreSQL).

Filing, the case page, supplements and withdrawal are in test_portal_repair.py; both use
the fixtures of this module (subjects, applicants, records made through the records service).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp import create_app
from workflows.people.access import Actor
from workflows.core.config import PROJECT_ROOT
from workflows.core.models.cases import CaseEvent, Notification
from workflows.core.models.people import Subject, User
from workflows.records import create_record
from workflows.engine.rules import RuleBook
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user, verify_password

from .conftest import PASSWORD, csrf_token_from, login

SUBJECT_A = "91350100M000100Y43"
SUBJECT_B = "91350200MA2Y4G5U0E"
NAMES = {SUBJECT_A: "泉州市清源食品有限公司（普通合伙）", SUBJECT_B: "厦门海沧建材贸易有限公司"}
PERSON = "11010519491231002X"  # a valid resident ID number (GB 11643 example)


@pytest.fixture
def bpmn_dir():
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def world(store, clock):
    """A department, two subjects, an applicant for each, a reviewer."""
    with store.write() as uow:
        session = uow.session
        register_department(session, "QZ-SCJG", "泉州市市场监督管理局")
        for code, name in NAMES.items():
            register_subject(session, code, name, clock.now())
        session.flush()
        for name, roles, extra in (("applicant1", ["applicant"], {"subject_code": SUBJECT_A}),
                                   ("applicant2", ["applicant"], {"subject_code": SUBJECT_B}),
                                   ("reviewer1", ["reviewer"], {})):
            create_user(session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()


@pytest.fixture
def make_record(store, clock, world):
    """A penalty record decided on `decided` (ISO date), created by the records service."""
    rules = RuleBook.from_directory(PROJECT_ROOT / "bpmn")

    def make(decided: str, severity: str = "general", subject: str = SUBJECT_A) -> int:
        with store.write() as uow:
            record = create_record(uow.session, rules, {
                "subject_code": subject, "subject_name": NAMES[subject], "kind": "penalty",
                "severity": severity, "decision_no": f"泉市监罚〔{decided[:4]}〕{decided[5:7]}{decided[8:]}号",
                "decision_date": decided, "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
                "facts": "销售不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百二十四条",
                "content": "罚款人民币二万元", "measures": [{"name": "限制参加政府采购"}]}, "dept1", clock.now())
            uow.commit()
            return record.id
    return make


def registration(**changes: str) -> dict[str, str]:
    form = {"username": "newco", "password": "long enough 1", "confirm": "long enough 1",
            "subject_code": SUBJECT_A, "subject_name": NAMES[SUBJECT_A], "phone": "13805951234"}
    return {**form, **changes}


def page(response) -> str:
    return response.get_data(as_text=True)


# -- registration ---------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"subject_code": "91350100M000100Y4"}, "主体代码应为18位统一社会信用代码或公民身份号码，实际为17位"),
    ({"subject_code": "91350100M000100Y44"}, "校验位不符：第18位应为3"),
    ({"username": "applicant1"}, "用户名已被使用"),
    ({"subject_name": "泉州市另一家公司"}, "主体名称与已登记的名称不一致"),
    ({"confirm": "something else"}, "两次输入的密码不一致"),
    ({"password": "short", "confirm": "short"}, "密码至少8位"),
    ({"phone": "12345"}, "请填写11位手机号码"),
])
def test_registration_refuses_bad_input_and_changes_nothing(client, store, world, changes, message):
    response = client.post("/portal/register", data=registration(**changes))
    assert response.status_code == 400 and message in page(response)
    with store.read() as session:
        assert session.scalars(select(User.username).where(User.username == "newco")).first() is None
    assert client.get("/portal/").status_code == 302  # still anonymous


def test_registration_binds_an_existing_subject_and_logs_in(client, store, world):
    # Half-width brackets and spaces do not make a different name.
    response = client.post("/portal/register", data=registration(subject_name=" 泉州市清源食品有限公司(普通合伙)"))
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    home = client.get("/portal/")
    assert home.status_code == 200 and NAMES[SUBJECT_A] in page(home)
    with store.read() as session:
        user = session.scalars(select(User).where(User.username == "newco")).one()
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "applicant_registered")).one()
    assert (user.role_set, user.subject_code) == ({"applicant"}, SUBJECT_A)
    assert verify_password(user, "long enough 1")
    assert event.after["contact_phone"] == "13805951234" and event.case_id is None


def test_registration_of_a_new_person_registers_the_subject_and_masks_the_number(client, store, world):
    response = client.post("/portal/register", data=registration(subject_code=PERSON, subject_name="张三"))
    assert response.status_code == 302
    with store.read() as session:
        assert session.get(Subject, PERSON).category == "natural_person"
    home = page(client.get("/portal/"))
    assert "张三" in home and "1101**********002X" in home and PERSON not in home


def test_registration_with_csrf_enabled(runtime, store, world):
    client = create_app({"TESTING": True, "RUNTIME": runtime}).test_client()
    assert client.post("/portal/register", data=registration()).status_code == 400  # no token
    token = csrf_token_from(page(client.get("/portal/register")))
    assert client.post("/portal/register", data={**registration(), "csrf_token": token}).status_code == 302


def test_applicants_land_on_the_portal_after_login(client, world):
    assert login(client, "applicant1").headers["Location"] == "/portal"
    assert client.get("/portal/register").status_code == 302  # already logged in


def test_staff_may_not_use_the_portal(client, world):
    login(client, "reviewer1")
    assert client.get("/portal/").status_code == 403


# -- home -----------------------------------------------------------------------------------

def test_home_lists_only_my_records_with_earliest_repair_dates(client, make_record):
    eligible = make_record("2026-05-10")                 # Order 36, general: min 3 months → 2026-08-10
    waiting = make_record("2026-07-01")                  # → 2026-10-01, after today (2026-09-30)
    foreign = make_record("2026-05-11", subject=SUBJECT_B)
    login(client, "applicant1")
    html = page(client.get("/portal/"))
    assert "泉市监罚〔2026〕0510号" in html and "泉市监罚〔2026〕0701号" in html
    assert "泉市监罚〔2026〕0511号" not in html and f'data-record="{foreign}"' not in html
    assert "2026-08-10" in html and "2026-10-01" in html
    assert "2026-05-10 — 2027-05-09" in html  # Order 36 general: shown for 1 year
    assert f"/portal/repair/new?record={eligible}" in html
    assert f"/portal/repair/new?record={waiting}" not in html and "可于2026年10月1日后申请" in html
    assert "行政处罚 · 一般" in html and "公示中" in html


def test_home_shows_what_is_expected_of_me(client, runtime, make_record):
    record = make_record("2026-05-10")
    login(client, "applicant1")
    case = file_by_form(client, record)
    assert "审核中，办理时限至 2026-10-08 23:59" in page(client.get("/portal/"))
    ask_for_supplement(runtime, case)
    html = page(client.get("/portal/"))
    assert "请于 2026-10-13 23:59 前补正材料" in html
    assert f"/portal/repair/new?record={record}" not in html and f"/portal/cases/{case}" in html


def test_notifications_are_mine_and_can_be_marked_read(client, app, runtime, store, make_record, clock):
    login(client, "applicant1")
    case = file_by_form(client, make_record("2026-05-10"))
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


# -- helpers shared with test_portal_repair.py ----------------------------------------------

REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))


def logged_in(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def repair_form(record_ids: list[int], **changes) -> dict:
    from workflows.kinds.repair.commitment_text import repair_commitment_text, text_digest
    form = {"record_ids": [str(i) for i in record_ids], "reason": "已缴清罚款并完成整改",
            "rectification": "已下架问题食品并建立进货查验制度", "commitment_accepted": "y",
            "commitment_digest": text_digest(repair_commitment_text())}
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def file_by_form(client, record_id: int, **changes) -> int:
    response = client.post("/portal/repair/new", data=repair_form([record_id], **changes),
                           content_type="multipart/form-data")
    assert response.status_code == 302, page(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def open_task(runtime, case_id: int, bpmn_id: str):
    from workflows.core.models.cases import HumanTask
    with runtime.store.read() as session:
        return session.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                                       HumanTask.state == "ready")).first()


def ask_for_supplement(runtime, case_id: int) -> None:
    review = open_task(runtime, case_id, "review")
    runtime.engine.complete_task(review.id, {"decision": "supplement", "reason": "缺少罚款缴纳凭证",
                                             "supplement_items": ["罚款缴纳凭证"]}, REVIEWER)
