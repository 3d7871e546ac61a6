"""The portal's workflows operations and queries called directly, on the real database:
registration, notices, attaching files, what an applicant may file and see."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.db import count
from tests.support.files import pdf_bytes
from tests.support.portal import SUBJECT_A, SUBJECT_B
from workflows.core.errors import InvalidInput, NotFound
from workflows.core.models.cases import CaseEvent, Notification
from workflows.kinds.common.applicant_views import (
    commitment_choices,
    my_case_page,
    my_home,
    my_open_task,
)
from workflows.kinds.common.attachments import MAX_BYTES
from workflows.kinds.common.case_files import Upload, attach_files
from workflows.kinds.common.filing_eligibility import filing_choices
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor
from workflows.core.models.people import User
from workflows.people.notices import mark_notifications_read
from workflows.people.registration import Registration, register_applicant

APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=SUBJECT_A)
OTHER = Actor("applicant2", frozenset({"applicant"}), subject_code=SUBJECT_B)


@pytest.fixture
def repair_case(runtime, make_portal_record) -> int:
    form = {"record_ids": [make_portal_record("2026-05-10")], "reason": "已缴清罚款并完成整改",
            "rectification": "已下架问题食品并建立进货查验制度", "commitment_accepted": True}
    return file_repair(runtime.engine, APPLICANT, SUBJECT_A, form).id


def test_registration_creates_an_unbound_audited_account(store, clock, portal_world):
    user = register_applicant(store, Registration("newco", "long enough 1", "王五"), clock.now())
    assert (user.subject_code, user.role_set) == (None, frozenset({"applicant"}))
    assert count(store, CaseEvent, CaseEvent.kind == "applicant_registered") == 1


@pytest.mark.parametrize("username, name, field", [("applicant1", "王五", "username"),
                                                   ("newco", "", "display_name"),
                                                   ("newco", "王" * 101, "display_name")])
def test_a_refused_registration_stores_nothing(store, clock, portal_world, username, name, field):
    users = count(store, User)
    with pytest.raises(InvalidInput) as refused:
        register_applicant(store, Registration(username, "long enough 1", name), clock.now())
    assert field in refused.value.fields
    assert (count(store, User), count(store, CaseEvent, CaseEvent.kind == "applicant_registered")) == (users, 0)


def test_notices_are_marked_read_only_by_their_owner(store, clock, repair_case):
    with store.read() as session:
        mine = session.scalars(select(Notification).where(Notification.username == "applicant1")).one()
    with pytest.raises(NotFound):
        mark_notifications_read(store, "applicant2", mine.id, clock.now())
    assert mark_notifications_read(store, "applicant1", None, clock.now()) == 1
    assert count(store, Notification, Notification.read_at.is_(None)) == 0


def test_attach_files_keeps_the_good_ones_and_names_the_refused(store, clock, repair_case):
    events = count(store, CaseEvent, CaseEvent.kind == "attachment_added")
    uploads = [Upload("证明.pdf", pdf_bytes()), Upload("病毒.pdf", b"MZ not a pdf"),
               Upload("大.pdf", b"%PDF" + b"0" * MAX_BYTES)]
    stored, refused = attach_files(store, APPLICANT, repair_case, uploads, clock.now())
    assert [d["filename"] for d in stored] == ["证明.pdf"]
    assert [r.split("：")[0] for r in refused] == ["病毒.pdf", "大.pdf"]
    assert count(store, CaseEvent, CaseEvent.kind == "attachment_added") == events + 1
    with pytest.raises(NotFound):
        attach_files(store, OTHER, repair_case, uploads[:1], clock.now())


def test_filing_choices_say_which_records_may_be_filed_today(runtime, clock, make_portal_record):
    fresh, old = make_portal_record("2026-09-01"), make_portal_record("2026-05-10")
    rows = {row.doc["id"]: row for row in filing_choices(runtime.store, runtime.specs, SUBJECT_A, clock.now())["rows"]}
    assert rows[old].may_file and not rows[fresh].may_file and rows[fresh].must_wait
    assert all(row.objectable for row in rows.values())


def test_my_case_page_is_mine_only_and_offers_withdrawal(runtime, repair_case):
    page = my_case_page(runtime.store, APPLICANT, repair_case)
    assert page.mine.case.id == repair_case and page.withdrawable and page.supplement is None
    assert [t.bpmn_id for t in page.mine.tasks] == ["first_review"]
    with pytest.raises(NotFound):
        my_case_page(runtime.store, OTHER, repair_case)
    with pytest.raises(NotFound):
        my_open_task(runtime.store, OTHER, repair_case, "first_review")


def test_my_home_lists_my_cases_and_notices(runtime, clock, repair_case):
    home = my_home(runtime.store, runtime.specs, APPLICANT, clock.now())
    # the repair only: its repair commitment is watched by a case of its own once the repair is granted
    assert [mine.case.kind for mine in home.cases] == ["repair"]
    assert home.cases[0].case.id == repair_case and len(home.notices) == 1
    assert my_home(runtime.store, runtime.specs, OTHER, clock.now()).cases == []


def test_commitment_choices_show_the_text_in_force(store, portal_world):
    choices = commitment_choices(store, "certification")
    assert choices.departments == [("QZ-SCJG", "泉州市市场监督管理局")] and choices.version == 1 and choices.text
    assert commitment_choices(store, None).text == ""
