"""Several counters taken in one statement (a filing numbers a letter and a 承诺编码 together)."""
from __future__ import annotations

from datetime import date

import pytest

from workflows.archive.commitment_codes import allocate_commitment_code, commitment_counter
from workflows.archive.issuing import letter_counter
from workflows.archive.numbering import next_serial, peek_serial, reserve_serials

DAY = date(2026, 11, 21)


def test_reserved_numbers_are_handed_out_then_counting_goes_on(store):
    with store.write() as uow:
        next_serial(uow.session, *letter_counter("泉信用受", 2026))  # 1
        reserve_serials(uow.session, [letter_counter("泉信用受", 2026), commitment_counter(DAY)])
        assert next_serial(uow.session, *letter_counter("泉信用受", 2026)) == 2
        assert allocate_commitment_code(uow.session, DAY) == "35050020261121000001"
        assert next_serial(uow.session, *letter_counter("泉信用受", 2026)) == 3  # past the reservation
        uow.commit()
    with store.read() as session:
        assert peek_serial(session, *letter_counter("泉信用受", 2026)) == 3
        assert peek_serial(session, *commitment_counter(DAY)) == 1


def test_an_unused_reservation_fails_the_commit_and_leaves_no_gap(store):
    with store.write() as uow:
        reserve_serials(uow.session, [letter_counter("泉信用受", 2026), commitment_counter(DAY)])
        next_serial(uow.session, *letter_counter("泉信用受", 2026))
        with pytest.raises(RuntimeError, match="gap"):
            uow.commit()
    with store.read() as session:
        assert peek_serial(session, *letter_counter("泉信用受", 2026)) == 0
        assert peek_serial(session, *commitment_counter(DAY)) == 0


def test_a_counter_is_reserved_once(store):
    with store.write() as uow:
        with pytest.raises(ValueError):
            reserve_serials(uow.session, [commitment_counter(DAY), commitment_counter(DAY)])
        reserve_serials(uow.session, [commitment_counter(DAY)])
        with pytest.raises(ValueError):
            reserve_serials(uow.session, [commitment_counter(DAY)])
