"""The letters a real case issues (filed over the HTTP API, rendered by the product's workers,
read from the archive) follow GB/T 9704's geometry like the demos (tests/support/geometry.py)."""
from __future__ import annotations

from tests.support.api_cases import complete, file_request, open_task, repair_decided, start_interview
from tests.support.geometry import problems
from tests.support.letters import drain_app_letters
from tests.support.web import bearer, token_for


def _pdf(client, token, letter) -> bytes:
    drain_app_letters(client)
    answer = client.get(letter["url"], headers=bearer(token))
    assert answer.status_code == 200
    return answer.data


def test_a_repair_case_letters_follow_the_layout(client, make_record):
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [make_record("2026-05-10")]).get_json()
    letters = {letter["type"]: letter for letter in doc["letters"]}  # acceptance, commitment
    supplement = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="supplement",
                          reason="缺少罚款缴纳凭证", supplement_items=["罚款缴纳凭证", "整改报告"]).get_json()
    letters.update({letter["type"]: letter for letter in supplement["letters"]})
    other = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-11")]).get_json()
    decided = repair_decided(client, other, "approve").get_json()
    letters.update({letter["type"]: letter for letter in decided["letters"]})
    assert {"acceptance", "commitment", "supplement_request", "repair_decision"} <= set(letters)
    for letter_type, letter in letters.items():
        assert problems(_pdf(client, app1, letter)) == [], letter_type


def test_an_interview_notice_follows_the_layout(client, make_record):
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [make_record("2026-05-10")]).get_json()
    notice = next(letter for letter in doc["letters"] if letter["type"] == "interview_notice")
    assert problems(_pdf(client, dept, notice)) == []
