"""Letters in tests: render pending letters, read a PDF's text layer two independent ways; a demo
context for a subject.

Steps issue letters `pending` and the workers render them after the commit; tests are
deterministic by rendering explicitly, with `drain_letters` — the product's own
`render_letter` (real renderer, real database), not a stand-in.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import NamedTuple

import pypdf
import pytest

from letters import demo_context
from workflows.archive.rendering import due_letters, render_letter
from workflows.core.clock import SystemClock

from .subjects import COMPANY


def drain_letters(store, clock=None) -> int:
    """Render every pending letter now (as a worker would, after the commit); how many were
    archived. A letter that fails stays pending with its error, as in production."""
    now = (clock or SystemClock()).now()
    done = 0
    while True:
        ids = due_letters(store, now, every=True)
        outcomes = [render_letter(store, letter_id, now) for letter_id in ids]
        done += sum(o.status == "issued" for o in outcomes)
        if not ids or all(o.status == "failed" for o in outcomes):
            return done


def drain_app_letters(client_or_app) -> int:
    """`drain_letters` for the store and clock of a Flask app (or its test client)."""
    from webapp.runtime import EXTENSION_KEY
    app = getattr(client_or_app, "application", client_or_app)
    runtime = app.extensions[EXTENSION_KEY]
    return drain_letters(runtime.store, runtime.clock)


class Rendered(NamedTuple):
    pdf: bytes
    text: str  # pypdf's text layer, pages joined
    pages: int


def extract(pdf: bytes) -> Rendered:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return Rendered(pdf, text, len(reader.pages))


def pdftotext(pdf: bytes) -> str:
    """Poppler's reading of the text layer (a second, independent extractor)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils (pdftotext) not installed")


def context_for(subject_code: str = COMPANY, name: str = "泉州市清源食品有限公司") -> dict:
    """The acceptance letter's demo context for another subject, without number, code, URL or date."""
    context = {k: v for k, v in demo_context("acceptance").items()
               if k not in ("number", "verification_code", "verify_url", "date")}
    context["subject"] = {**context["subject"], "code": subject_code, "name": name}
    return context
