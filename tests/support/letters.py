"""Letters in tests: read a PDF's text layer two independent ways; a demo context for a subject."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import NamedTuple

import pypdf
import pytest

from letters import demo_context

from .subjects import COMPANY


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
