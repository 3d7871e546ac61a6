"""PostgreSQL storage settings of the large columns (migration 0008)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import PG_URL, _postgres_available
from workflows.core.db import make_engine

ATTRIBUTE = text("SELECT attstorage, attcompression FROM pg_attribute "
                 "WHERE attrelid = CAST(:table AS regclass) AND attname = :column")


@pytest.fixture
def pg():
    if not _postgres_available():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    engine = make_engine(PG_URL)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def test_workflow_json_is_lz4_compressed(pg):
    storage, compression = pg.execute(ATTRIBUTE, {"table": "case_instance", "column": "workflow_json"}).one()
    assert (storage, compression) == ("x", "l")


def test_letter_pdfs_are_stored_uncompressed_out_of_line(pg):
    storage, _compression = pg.execute(ATTRIBUTE, {"table": "letter", "column": "pdf"}).one()
    assert storage == "e"
