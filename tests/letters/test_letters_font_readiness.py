"""Fonts are prepared before work, never inside a request (issue 13): a renderer on a data
directory without prepared fonts refuses at once with the command to run, instead of building
subsets for 20–70 s inside the caller's write transaction; fontTools never logs glyph lists."""
from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import pytest

import letters
from letters import fonts
from letters.errors import FontMissingError, FontsNotPreparedError
from letters.render import Renderer
from workflows.archive.issuing import issue_letter
from workflows.archive.numbering import peek_serial
from workflows.core.errors import Unavailable
from workflows.core.models.letters import Letter

from tests.support.db import count
from tests.support.letters import context_for

NOW = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)


def test_renderer_refuses_quickly_when_fonts_are_not_prepared(tmp_path):
    started = time.monotonic()
    with pytest.raises(FontsNotPreparedError, match="credit-cases letter fonts prepare") as caught:
        Renderer(tmp_path)
    assert time.monotonic() - started < 3
    assert isinstance(caught.value, FontMissingError)  # callers that know only the old error still catch it
    assert not list((tmp_path / "fonts").glob("*.ttf"))


def test_issuing_without_prepared_fonts_is_unavailable_and_numbers_nothing(store, tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.FONTS_DIR_ENV, str(tmp_path / "fonts"))
    started = time.monotonic()
    with store.write() as uow:
        with pytest.raises(Unavailable, match="credit-cases letter fonts prepare") as caught:
            issue_letter(uow.session, "acceptance", context_for(), actor="reviewer1", now=NOW,
                         public_url="http://credit.test")
        assert peek_serial(uow.session, "letter:acceptance", "2026") == 0  # refused before numbering
    assert caught.value.http_status == 503
    assert time.monotonic() - started < 3
    assert count(store, Letter) == 0
    with store.read() as session:
        assert peek_serial(session, "letter:acceptance", "2026") == 0


def test_font_tools_logs_warnings_only(caplog):
    caplog.set_level(logging.DEBUG)  # root at DEBUG, as a verbose deployment might set it
    assert logging.getLogger("fontTools").getEffectiveLevel() == logging.WARNING
    letters.render("acceptance", letters.demo_context("acceptance"))
    chatty = [r for r in caplog.records if r.name.startswith("fontTools") and r.levelno < logging.WARNING]
    assert chatty == []
