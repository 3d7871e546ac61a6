"""An issuing organ's full legal name, as long as `/api/v1/admin/departments` accepts, on the
letters a real case issues in its name (SQLite and PostgreSQL): the 发文机关署名 in even 3号
lines inside the GB/T 9704 block, the 成文日期 centred under it, the seal over both; the
发文机关标志 no smaller than 2号, or the organ's 规范化简称 (`masthead_name`) when it set one."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from letters.signature import name_lines
from tests.support.api_cases import start_interview
from tests.support.files import png_bytes
from tests.support.geometry import (
    BODY_PT,
    CHAR,
    LEFT,
    MARK_FLOOR_PT,
    RIGHT,
    double_lines,
    masthead_lines,
    near,
    problems,
    read_pages,
    signature_block,
)
from tests.support.letters import drain_app_letters, needs_pdftotext, pdftotext
from tests.support.web import PASSWORD, bearer, headers, token_for
from workflows.administration.departments import NAME_MAX
from workflows.core.config import PROJECT_ROOT
from workflows.core.models.letters import Letter
from workflows.people.users import create_user

DEPARTMENTS = "/api/v1/admin/departments"
ORGAN = "泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局经济技术开发区分局）"
SHORT = "泉州市市场监管局经开区分局"
LONGEST = (ORGAN * 5)[:NAME_MAX]


@pytest.fixture
def bpmn_dir():
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def admin(client, store, clock, world) -> dict[str, str]:
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    return headers(client, "admin1")


def issuer(name: str) -> dict:
    return {"issuer_name": name, "address": "泉州市丰泽区刺桐路100号", "phone": "0595-28881234",
            "number_prefixes": {"default": "泉市监"}}


def test_the_longest_name_the_api_accepts_is_the_longest_a_letter_must_print(client, admin):
    refused = client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=issuer(LONGEST + "局"), headers=admin)
    assert refused.status_code == 400 and "issuer_name" in refused.get_json()["fields"]
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=issuer(LONGEST), headers=admin).status_code == 200


@needs_pdftotext
@pytest.mark.parametrize("name", [ORGAN, LONGEST], ids=["aliased", "longest"])
def test_an_interview_notice_signed_with_a_long_organ_name(client, admin, make_record, name):
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=issuer(name), headers=admin).status_code == 200
    sealed = client.put(f"{DEPARTMENTS}/QZ-SCJG/seal", data=png_bytes(), content_type="image/png", headers=admin)
    assert sealed.status_code == 200
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [make_record("2026-05-10")]).get_json()
    notice = next(letter for letter in doc["letters"] if letter["type"] == "interview_notice")
    drain_app_letters(client)
    pdf = client.get(notice["url"], headers=bearer(dept)).data
    assert problems(pdf) == [] and name in "".join(pdftotext(pdf).split())
    page, lines, date = signature_block(read_pages(pdf), name)
    assert [line.text for line in lines] == list(name_lines(name))
    for line in [*lines, date]:
        assert line.size == BODY_PT and LEFT - 0.2 <= line.chars[0].x0 and line.chars[-1].x1 <= RIGHT + 0.2
    left, right = min(line.chars[0].x0 for line in lines), max(line.chars[-1].x1 for line in lines)
    assert lines[-1].bottom < date.top and near((date.chars[0].x0 + date.chars[-1].x1) / 2, (left + right) / 2, CHAR)
    x0, x1, top, _bottom = max(page.images, key=lambda box: box[1] - box[0])  # the seal, centred on the name
    assert near((x0 + x1) / 2, (left + right) / 2, 1.0) and lines[0].top - 10.3 < top < date.bottom


def issue_interview_notice(client, make_record) -> tuple[dict, str]:
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [make_record("2026-05-10")]).get_json()
    drain_app_letters(client)
    return next(letter for letter in doc["letters"] if letter["type"] == "interview_notice"), dept


@needs_pdftotext
@pytest.mark.parametrize("masthead", ["", SHORT], ids=["full-name", "short-name"])
def test_the_masthead_of_a_long_organ_name_stays_legible(client, admin, store, make_record, masthead):
    body = {**issuer(LONGEST), "masthead_name": masthead}
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=body, headers=admin).status_code == 200
    notice, dept = issue_interview_notice(client, make_record)
    pdf = client.get(notice["url"], headers=bearer(dept)).data
    pages = read_pages(pdf)
    mark = masthead_lines(pages[0])
    (thick, _thin), _foot = double_lines(pages[0])
    assert problems(pdf) == [] and "".join(line.text for line in mark) == (masthead or LONGEST)
    assert all(line.size >= MARK_FLOOR_PT and LEFT - 0.2 <= line.chars[0].x0 and line.chars[-1].x1 <= RIGHT + 0.2
               and near((line.chars[0].x0 + line.chars[-1].x1) / 2, (LEFT + RIGHT) / 2, 1.0) for line in mark)
    assert near(thick.y - thick.thickness / 2 - mark[-1].bottom, 4.0, 0.1)
    _page, lines, _date = signature_block(pages, LONGEST)
    assert "".join(line.text for line in lines) == LONGEST  # the 署名 keeps the full legal name
    with store.read() as session:  # frozen at issue: a later change of the department does not reach it
        frozen = session.scalars(select(Letter).where(Letter.number == notice["number"])).one().context["issuer"]
    assert frozen["name"] == LONGEST and frozen.get("masthead_name", "") == masthead
    changed = {**body, "masthead_name": "" if masthead else SHORT}
    assert client.put(f"{DEPARTMENTS}/QZ-SCJG/issuer", json=changed, headers=admin).status_code == 200
    assert client.get(notice["url"], headers=bearer(dept)).data == pdf
