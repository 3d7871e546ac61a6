"""Chinese UI through Babel: catalog compilation, locale selection, the `localtime`, `person` and `file_kind` filters.

`.mo` files are build products and git-ignored, so a fresh checkout compiles them when the
app starts; the write is atomic because several workers may start at once. Babel names
zh_CN "zh_Hans_CN" and gettext only looks in folders of that name, so the catalog edited
at `zh_CN/` is compiled into `zh_Hans_CN/`.
"""
from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import lazy_gettext as _l

from workflows.core.clock import to_local

from .extensions import babel

LOCALE = "zh_CN"
TIMEZONE = "Asia/Shanghai"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    compile_translations(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=lambda: LOCALE, timezone_selector=lambda: TIMEZONE)
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["person"] = person
    app.jinja_env.filters["file_kind"] = file_kind


def compile_translations(directory: Path) -> list[Path]:
    """Compile every `messages.po` whose `.mo` is missing or older; returns what was written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = mo_path_for(po_path)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            _compile(po_path, mo_path)
        except OSError as err:  # read-only install: run untranslated rather than not at all
            log.warning("cannot compile %s: %s", po_path, err)
            continue
        written.append(mo_path)
    return written


def mo_path_for(po_path: Path) -> Path:
    """Where gettext will look: the folder named after Babel's canonical locale id."""
    language_dir = po_path.parent.parent
    canonical = str(Locale.parse(language_dir.name))
    return language_dir.parent / canonical / "LC_MESSAGES" / po_path.with_suffix(".mo").name


def _compile(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as source:
        catalog = read_po(source)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as target:
            write_mo(target, catalog)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, mo_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def person(username: str | None, names: Mapping[str, str]) -> str:
    """A username as a page shows it: the name from the page's `names` (`display_names`), else as is."""
    return names.get(username, username) if username else ""


FILE_KINDS = {"application/pdf": _l("PDF document"), "image/jpeg": _l("Image"), "image/png": _l("Image")}


def file_kind(content_type: str | None) -> str:
    """What a file is, in words: people read "PDF 文件", not a MIME type."""
    return str(FILE_KINDS.get((content_type or "").split(";")[0].strip().lower(), _l("File")))


def localtime(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show a stored time in Asia/Shanghai; naive datetimes are UTC as stored."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime(fmt)
    return value.isoformat()
