"""Letter context → PDF bytes with WeasyPrint. Pure: no database, no network.

Speed comes from reuse: one FontConfiguration and one parsed stylesheet serve many letters
(a fresh FontConfiguration re-reads every font file per letter). Reused objects grow caches,
so a renderer is recycled after ``RECYCLE_AFTER`` letters. Renderers are per thread because
Pango font maps are not thread-safe.
"""

from __future__ import annotations

import os
import threading
import zlib
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from . import catalog, systemfonts
from .context import validate_context
from .environment import environment
from .errors import FontMissingError
from .fonts import NO_FONT_MESSAGE, FontSetup, font_setup, fonts_dir, uncovered

STYLESHEET = catalog.TEMPLATES_DIR / "letter.css"
RECYCLE_AFTER = 500
PDF_ZLIB_LEVEL = 1


class _FastZlib:
    """pydyf compresses every PDF stream (mostly the two font subsets) at zlib level 9; level 1
    saves ~8 ms of a ~60 ms letter for ~6 % more bytes (still ~50 KB a page). Only pydyf,
    which only letters use, sees this; the output stays deterministic."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = PDF_ZLIB_LEVEL, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(PDF_ZLIB_LEVEL, *args, **kwargs)


if getattr(pydyf, "zlib", None) is zlib:
    pydyf.zlib = _FastZlib()


class LocalOnlyFetcher(URLFetcher):
    """Resources may be data: URIs or the prepared font files — nothing from a network."""

    def __init__(self, allowed_files: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self._allowed = {str(path) for path in allowed_files}

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:") and unquote(urlsplit(url).path) not in self._allowed:
            raise ValueError(f"letters may not load {url}")
        return super().fetch(url, headers)


class Renderer:
    """Renders letters with shared fonts and stylesheet; not thread-safe (one per thread)."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None,
                 recycle_after: int = RECYCLE_AFTER) -> None:
        self.fonts: FontSetup = font_setup(data_dir)
        self.recycle_after = recycle_after
        self._fetcher = LocalOnlyFetcher(self.fonts.files)
        self._start()

    def _start(self) -> None:
        self._font_config = FontConfiguration()
        css = self.fonts.css + STYLESHEET.read_text(encoding="utf-8")
        self._stylesheet = CSS(string=css, font_config=self._font_config,
                               url_fetcher=self._fetcher)
        self._count = 0

    def render(self, letter_type: str, context: dict[str, Any]) -> bytes:
        """Validate ``context`` and return the letter as PDF bytes."""
        kind = catalog.get(letter_type)
        data = validate_context(letter_type, context)
        self._check_glyphs(data)
        data["letter"] = _letter_vars(kind, data)
        html = environment().get_template(kind.template_name).render(data)
        return self.render_html(html)

    def render_html(self, html: str) -> bytes:
        """PDF of an HTML document laid out with the letter stylesheet and fonts."""
        if self._count >= self.recycle_after:
            self._start()
        self._count += 1
        document = HTML(string=html, url_fetcher=self._fetcher)
        return document.write_pdf(stylesheets=[self._stylesheet],
                                  font_config=self._font_config)

    def _check_glyphs(self, data: dict[str, Any]) -> None:
        missing = uncovered(_strings(data), self.fonts)
        if missing and not systemfonts.has_chinese_font():
            raise FontMissingError(
                f"{NO_FONT_MESSAGE}（预置字库不含：{''.join(sorted(missing))}）")


def _letter_vars(kind: catalog.LetterType, data: dict[str, Any]) -> dict[str, Any]:
    """Values the renderer adds under ``letter``: title, type, enum labels, forms of address."""
    person = (data.get("subject") or {}).get("category") == "natural_person"
    return {"type": kind.key, "title": kind.title_for(data), "labels": kind.labels(),
            "person": person, "you": "你" if person else "你单位",
            "we": "本人" if person else "本单位"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


_local = threading.local()


def default_renderer() -> Renderer:
    """This thread's renderer for the current fonts dir (created on first use)."""
    key = str(fonts_dir())
    renderers = _local.__dict__.setdefault("renderers", {})
    if key not in renderers:
        renderers[key] = Renderer()
    return renderers[key]


def check_renderable(letter_type: str, context: dict[str, Any]) -> None:
    """Cheap, before a letter's number is taken: the fonts are ready and cover its text
    (FontMissingError otherwise). No renderer is built, nothing is laid out."""
    setup = font_setup()
    missing = uncovered(_strings(context), setup)
    if missing and not systemfonts.has_chinese_font():
        raise FontMissingError(f"{NO_FONT_MESSAGE}（预置字库不含：{''.join(sorted(missing))}）")


def render(letter_type: str, context: dict[str, Any]) -> bytes:
    """PDF bytes of one letter; see Renderer.render."""
    return default_renderer().render(letter_type, context)
