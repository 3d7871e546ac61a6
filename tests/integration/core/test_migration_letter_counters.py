"""Migration 0013n: the per-prefix letter counters start after the numbers already issued.
Migration 0020l: letters archived before it are `issued`; new ones start `pending`."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Integer, LargeBinary, String, column, insert, select, table

from workflows.core.models.base import UTCDateTime

from workflows.archive.issuing import letter_counter
from workflows.archive.numbering import next_serial, peek_serial
from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.models.letters import Letter
from workflows.core.store import Store

NOW = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)
# the letter table as it was before 0020l (the model has columns the old schema lacks)
OLD_LETTER = table("letter", *(column(name, kind) for name, kind in (
    ("letter_type", String), ("title", String), ("number", String), ("series", String), ("year", Integer),
    ("serial", Integer), ("verification_code", String), ("subject_name", String), ("issuer_name", String),
    ("context", JSON), ("sha256", String), ("pdf", LargeBinary), ("size", Integer), ("issued_by", String),
    ("issued_at", UTCDateTime))))


def _letter(number: str, letter_type: str, year: int, serial: int | None) -> dict:
    return {"letter_type": letter_type, "title": "t", "number": number, "series": f"letter:{letter_type}",
            "year": year, "serial": serial, "verification_code": "X", "subject_name": "", "issuer_name": "i",
            "context": {}, "sha256": "0" * 64, "pdf": b"%PDF", "size": 4, "issued_by": "reviewer1", "issued_at": NOW}


def test_counters_are_seeded_from_the_issued_numbers(empty_db_url):
    url = empty_db_url
    upgrade(url, "0013o")  # the revision before 0013n
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(OLD_LETTER), [
            _letter("泉信用受〔2026〕1号", "acceptance", 2026, 1), _letter("泉信用受〔2026〕2号", "acceptance", 2026, 2),
            _letter("泉信用修〔2025〕7号", "repair_decision", 2025, 7),
            _letter("35050020260930000001", "commitment", 2026, None)])
    engine.dispose()
    upgrade(url)
    store = Store(make_engine(url))
    with store.write() as uow:
        assert next_serial(uow.session, *letter_counter("泉信用受", 2026)) == 3
        uow.commit()
    with store.read() as session:
        assert peek_serial(session, *letter_counter("泉信用修", 2025)) == 7
        assert peek_serial(session, *letter_counter("泉信用修", 2026)) == 0
    store.engine.dispose()


def test_letters_archived_before_0020l_are_issued(empty_db_url):
    upgrade(empty_db_url, "0018r")
    engine = make_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(insert(OLD_LETTER), [_letter("泉信用受〔2026〕1号", "acceptance", 2026, 1)])
    engine.dispose()
    upgrade(empty_db_url)
    store = Store(make_engine(empty_db_url))
    with store.read() as session:
        letter = session.scalars(select(Letter)).one()
        assert (letter.status, letter.render_attempts, letter.rendered_at, letter.pdf) == ("issued", 0, NOW, b"%PDF")
    store.engine.dispose()
