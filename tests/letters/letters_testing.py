"""Helpers for the letters tests: read a PDF's text layer two independent ways."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import NamedTuple

import pypdf
import pytest


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
