"""Letters go out in the deciding department's name (DOMAIN.md §H), with the issuer details the
credit office keeps per department (`/api/v1/admin/departments`), over HTTP on SQLite and PostgreSQL."""
from __future__ import annotations

import io

import pypdf
import pytest
from sqlalchemy import select, update

from tests.support.api_cases import complete, file_request, letter_text, open_task, repair_decided, start_interview
from tests.support.files import png_bytes
from tests.support.letters import drain_app_letters, needs_pdftotext, pdftotext
from tests.support.web import PASSWORD, bearer, headers, token_for
from workflows.core.models.letters import Letter
from workflows.core.models.people import User
from workflows.people.subjects import register_department
from workflows.people.users import create_user

DEPARTMENTS = "/api/v1/admin/departments"
OFFICE = "泉州市社会信用体系建设领导小组办公室"  # letters/issuers.json's default issuer
NEW_ISSUER = {"issuer_name": "泉州市市场监督管理局（信用监管科）", "address": "泉州市丰泽区刺桐路100号",
              "phone": "0595-28881234", "number_prefixes": {"default": "泉市监", "interview_notice": "泉市监约"}}
TOPICS = ["policy", "measures", "repair"]


@pytest.fixture
def admin(client, store, clock, world) -> dict[str, str]:
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    return headers(client, "admin1")


def _pdf(client, token, letter) -> bytes:
    drain_app_letters(client)
    return client.get(letter["url"], headers=bearer(token)).data


def _letter(doc, letter_type):
    return next(item for item in doc["letters"] if item["type"] == letter_type)


def _image_sizes(pdf: bytes) -> set[tuple[int, int]]:
    return {image.image.size for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for image in page.images}


@needs_pdftotext
def test_changed_issuer_details_reach_the_next_letter(client, admin, make_record):
    record_id = make_record("2026-05-10")
    changed = client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=NEW_ISSUER, headers=admin)
    assert changed.status_code == 200, changed.get_json()
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id]).get_json()
    notice = _letter(doc, "interview_notice")
    assert notice["number"] == "泉市监约〔2026〕1号"
    for text in (letter_text(client, dept, notice), pdftotext(_pdf(client, dept, notice))):
        flat = "".join(text.split())
        assert NEW_ISSUER["issuer_name"] in flat and NEW_ISSUER["address"] in flat and NEW_ISSUER["phone"] in flat
        assert "泉市监约〔2026〕1号" in flat and OFFICE not in flat


def test_a_seal_image_is_printed_where_the_seal_goes(client, admin, make_record):
    record_id = make_record("2026-05-10")
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=NEW_ISSUER, headers=admin).status_code == 200
    dept = token_for(client, "dept1")
    plain = _letter(start_interview(client, dept, [record_id]).get_json(), "interview_notice")
    sealed = client.put(f"{DEPARTMENTS}/QZ-SCJG/seal", data=png_bytes(), content_type="image/png", headers=admin)
    assert sealed.status_code == 200
    with_seal = _letter(start_interview(client, dept, [record_id]).get_json(), "interview_notice")
    seal_size = (24, 16)  # tests/support/files.png_bytes
    assert seal_size in _image_sizes(_pdf(client, dept, with_seal))
    assert seal_size not in _image_sizes(_pdf(client, dept, plain))


def test_one_prefix_for_several_letter_types_numbers_them_in_one_series(client, admin, store, make_record):
    record_id = make_record("2026-05-10")
    with store.write() as uow:
        uow.session.execute(update(User).where(User.username == "dept1").values(display_name="陈静"))
        uow.commit()
    details = {**NEW_ISSUER, "number_prefixes": {"default": "泉市监"}}
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=details, headers=admin).status_code == 200
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id]).get_json()
    doc = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=True,
                   topics_covered=TOPICS, rectification_plan="建立进货查验制度", rectification_due_days=10).get_json()
    numbers = [_letter(doc, "interview_notice")["number"], _letter(doc, "interview_record")["number"]]
    assert numbers == ["泉市监〔2026〕1号", "泉市监〔2026〕2号"]
    record = "".join(letter_text(client, dept, _letter(doc, "interview_record")).split())
    assert NEW_ISSUER["issuer_name"] in record and "记录人（签字）：陈静" in record  # the recorder by name


def test_a_department_without_issuer_details_falls_back_to_the_configured_issuer(client, make_record, store):
    record_id = make_record("2026-05-10")  # QZ-SCJG of the `world` fixture: no issuer details
    dept = token_for(client, "dept1")
    notice = _letter(start_interview(client, dept, [record_id]).get_json(), "interview_notice")
    assert notice["number"] == "泉信用约〔2026〕1号"
    assert OFFICE in "".join(letter_text(client, dept, notice).split())
    with store.read() as session:
        assert session.scalars(select(Letter.issuer_name)).one() == OFFICE


def test_the_credit_office_row_and_the_deciding_department_each_sign_their_own(client, admin, store, make_record):
    """Repair received under Order 36: the credit office accepts, the designating department decides."""
    with store.write() as uow:
        register_department(uow.session, "QZ-XYB", OFFICE)  # the row letters/issuers.json names
        uow.commit()
    office = {"issuer_name": "泉州市信用办（测试）", "address": "泉州市行政中心8楼", "phone": "0595-22990000",
              "number_prefixes": {"acceptance": "泉信受测"}}
    assert client.put(f"{DEPARTMENTS}/QZ-XYB/issuer", json=office, headers=admin).status_code == 200
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=NEW_ISSUER, headers=admin).status_code == 200
    record_id = make_record("2026-05-10")
    applicant = token_for(client, "applicant1")
    doc = file_request(client, applicant, [record_id]).get_json()
    acceptance = _letter(doc, "acceptance")
    assert acceptance["number"] == "泉信受测〔2026〕1号"
    text = "".join(letter_text(client, applicant, acceptance).split())
    assert office["issuer_name"] in text and office["phone"] in text and NEW_ISSUER["issuer_name"] not in text
    doc = repair_decided(client, doc).get_json()
    decision = _letter(doc, "repair_decision")
    assert decision["number"] == "泉市监〔2026〕1号"  # no repair_decision prefix: the department's default
    assert NEW_ISSUER["issuer_name"] in "".join(letter_text(client, applicant, decision).split())
