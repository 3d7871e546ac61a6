"""A keyed request's row rides in its first write transaction (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import func, select

from workflows.core import idempotency
from workflows.core.idempotency import Answer, KeyedRequest, KeyInUse
from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.requests import IdempotentRequest

REQUEST = KeyedRequest("applicant1", "key-1", "POST", "/api/v1/cases", "a" * 64)
_days = count(1)


@pytest.fixture
def armed(clock):
    claim = idempotency.arm(REQUEST, clock.now())
    yield claim
    idempotency.disarm()


def rows(store) -> list[IdempotentRequest]:
    with store.read() as session:
        return list(session.scalars(select(IdempotentRequest)))


def override(clock, note: str) -> CalendarOverride:
    """Some row to write (a holiday on a day of its own)."""
    return CalendarOverride(day=clock.now().date() + timedelta(days=next(_days)), working=False, note=note,
                            created_at=clock.now(), created_by="t")


def write_something(store, clock, note: str, commit: bool = True) -> None:
    with store.write() as uow:
        uow.session.add(override(clock, note))
        if commit:
            uow.commit()


def overrides(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(CalendarOverride))


def test_only_the_first_committed_write_carries_the_key(store, clock, armed):
    write_something(store, clock, "rolled back", commit=False)
    assert rows(store) == [] and not armed.claimed  # a rolled-back write takes the key with it
    write_something(store, clock, "first")
    assert armed.claimed and not armed.answered
    [row] = rows(store)
    assert (row.actor, row.key, row.status_code) == ("applicant1", "key-1", None)
    assert idempotency.look_up(store, REQUEST, clock.now()).kind == "pending"
    idempotency.keep(store, Answer(201, b'{"id":1}\n', "application/json"))
    assert armed.answered and len(rows(store)) == 1
    seen = idempotency.look_up(store, REQUEST, clock.now())
    assert (seen.kind, seen.answer) == ("replay", Answer(201, b'{"id":1}\n', "application/json"))


def test_an_answer_prepared_inside_the_transaction_is_stored_with_it(store, clock, armed):
    with store.write() as uow:
        uow.session.add(override(clock, "x"))
        idempotency.prepare(Answer(200, b"{}\n", "application/json"))
        uow.commit()
    assert armed.answered
    assert (rows(store)[0].status_code, rows(store)[0].response_body) == (200, b"{}\n")


def test_an_answer_prepared_in_a_rolled_back_transaction_is_dropped(store, clock, armed):
    with store.write():
        idempotency.prepare(Answer(200, b"{}\n", "application/json"))
    write_something(store, clock, "then")
    assert not armed.answered and rows(store)[0].status_code is None


def test_a_second_claim_of_the_key_is_refused_whole(store, clock, armed):
    write_something(store, clock, "first")
    idempotency.arm(REQUEST, clock.now())  # the same key again, as a concurrent duplicate would be
    with pytest.raises(KeyInUse):
        write_something(store, clock, "second")
    assert overrides(store) == 1 and len(rows(store)) == 1


def test_what_a_repeat_is_told(store, clock, armed):
    write_something(store, clock, "first")
    assert idempotency.look_up(store, KeyedRequest("reviewer1", "key-1", "POST", "/api/v1/cases", "a" * 64),
                               clock.now()) is None  # another caller's key
    other_body = KeyedRequest("applicant1", "key-1", "POST", "/api/v1/cases", "b" * 64)
    assert idempotency.look_up(store, other_body, clock.now()).kind == "mismatch"
    assert idempotency.look_up(store, REQUEST, clock.now() + timedelta(minutes=3)).kind == "lost"
    idempotency.keep(store, Answer(201, None, "application/json"))
    assert idempotency.look_up(store, REQUEST, clock.now()).kind == "not_kept"
    assert idempotency.look_up(store, REQUEST, clock.now() + timedelta(hours=24, seconds=1)) is None


def test_a_server_error_after_the_commit_is_not_repeated(store, clock, armed):
    write_something(store, clock, "first")
    idempotency.keep(store, Answer(500, None, "application/json"))
    assert idempotency.look_up(store, REQUEST, clock.now()).kind == "lost"


def test_expired_keys_are_purged_and_can_be_claimed_again(store, clock, armed):
    write_something(store, clock, "first")
    idempotency.keep(store, Answer(201, b"{}\n", "application/json"))
    with store.write() as uow:
        assert idempotency.purge_expired(uow.session, clock.now() + timedelta(hours=23)) == 0
        uow.commit()
    clock.advance(timedelta(hours=24, seconds=1))
    idempotency.arm(REQUEST, clock.now())  # not purged yet: the claim itself clears the expired row
    write_something(store, clock, "a day later")
    assert [r.created_at for r in rows(store)] == [clock.now()]
    with store.write() as uow:
        assert idempotency.purge_expired(uow.session, clock.now() + timedelta(hours=24, seconds=1)) == 1
        uow.commit()
    assert rows(store) == []


def test_without_a_key_writes_carry_nothing(store, clock):
    write_something(store, clock, "plain")
    assert overrides(store) == 1 and rows(store) == []
