"""Issuing: gap-free numbers per type and year, immutable archive, re-issue, no number on error.
(The PDF is rendered after the commit: tests/letters/test_letters_rendering.py.)"""
from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from letters import demo_context
from workflows.archive.issuing import issue_letter, letter_counter, reissue_letter
from workflows.archive.numbering import peek_serial
from workflows.archive.lookup import find_genuine
from workflows.core.errors import Conflict, InvalidInput
from workflows.core.models.letters import Letter

from tests.support.letters import drain_letters, extract

NOW = datetime(2026, 11, 21, 2, 0, tzinfo=timezone.utc)  # 10:00 in Quanzhou
URL = "http://credit.test"


def issue(store, letter_type="acceptance", now=NOW, **overrides):
    context = {k: v for k, v in demo_context(letter_type).items()
               if k not in ("number", "verification_code", "verify_url", "date")}
    context.update(overrides)
    with store.write() as uow:
        letter = issue_letter(uow.session, letter_type, context, actor="reviewer1", now=now, public_url=URL)
        uow.commit()
    return letter


def archived(store, letter) -> Letter:
    """The letter as the workers archive it after the commit."""
    drain_letters(store)
    with store.read() as session:
        return session.get(Letter, letter.id)


def test_numbers_are_sequential_per_type_and_year(store):
    first, second = issue(store), issue(store)
    other_type = issue(store, "supplement_request")
    next_year = issue(store, now=datetime(2027, 1, 4, 2, 0, tzinfo=timezone.utc))
    assert (first.number, second.number) == ("泉信用受〔2026〕1号", "泉信用受〔2026〕2号")
    assert other_type.number.endswith("〔2026〕1号") and other_type.number != first.number
    assert next_year.number == "泉信用受〔2027〕1号"


def test_archived_letter_is_the_rendered_pdf_with_its_context(store):
    letter = archived(store, issue(store))
    assert letter.status == "issued"
    text = extract(letter.pdf).text
    assert "受理通知书" in text and "泉信用受〔2026〕1号" in text
    assert demo_context("acceptance")["subject"]["name"] in text
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest() and letter.size == len(letter.pdf)
    assert letter.context["number"] == letter.number and letter.context["date"] == "2026-11-21"
    assert letter.context["verify_url"] == f"{URL}/v/{letter.verification_code.replace('-', '')}"
    assert letter.verification_code in text.replace("\n", "")


def test_missing_field_issues_nothing_and_consumes_no_number(store):
    issue(store)
    with pytest.raises(InvalidInput) as caught:
        issue(store, subject={"code": "91350100M000100Y43"})
    assert "subject.name" in caught.value.message and "subject.name" in caught.value.fields
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Letter)) == 1
        assert peek_serial(session, *letter_counter("泉信用受", 2026)) == 1
    assert issue(store).number == "泉信用受〔2026〕2号"


def test_unknown_type_is_a_clear_error(store):
    with pytest.raises(InvalidInput, match="未知的文书类型"):
        with store.write() as uow:
            issue_letter(uow.session, "no_such_letter", {}, actor="x", now=NOW, public_url=URL)


def test_escaped_subject_name(store):
    letter = archived(store, issue(store, subject={**demo_context("acceptance")["subject"],
                                                  "name": "<script>alert(1)</script>公司"}))
    assert "<script>alert(1)</script>公司" in extract(letter.pdf).text


def test_reissue_creates_a_new_letter_pointing_back(store):
    old = archived(store, issue(store))
    with store.write() as uow:
        new = reissue_letter(uow.session, old.id, {"review_due_date": "2026-11-24"}, actor="reviewer1",
                             now=NOW, public_url=URL)
        uow.commit()
    assert (new.number, new.supersedes_id) == ("泉信用受〔2026〕2号", old.id)
    drain_letters(store)
    with store.read() as session:
        assert session.get(Letter, old.id).sha256 == old.sha256  # the old one is untouched
        verdict = find_genuine(session, old.number, old.verification_code)
        assert verdict is not None and verdict.superseded_by == new.number
    with pytest.raises(Conflict):
        with store.write() as uow:
            reissue_letter(uow.session, old.id, {}, actor="reviewer1", now=NOW, public_url=URL)


def test_parallel_issuers_get_distinct_gap_free_numbers(store):
    results, errors = [], []
    barrier = threading.Barrier(6)

    def worker():
        barrier.wait()
        try:
            results.append(issue(store).serial)
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and sorted(results) == [1, 2, 3, 4, 5, 6]
