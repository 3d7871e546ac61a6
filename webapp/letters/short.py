"""`/v/<code>`: the short verification address printed on letters (text and QR).

Public. The code alone names the letter; the page checks the archived PDF's signature, and a
visitor may upload the copy they hold: it must be the archived bytes and carry a valid signature.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.datastructures import FileStorage

from workflows.archive.queries import verify_by_code
from workflows.archive.validation import trust_roots

from ..runtime import get_runtime

bp = Blueprint("short", __name__)

COPY_LIMIT = 5 * 1024 * 1024  # a letter is ~60 KB; a copy over this cannot be one of ours
PDF_MAGIC = b"%PDF-"


@bp.route("/v/<code>", methods=["GET", "POST"])
def verify(code: str):
    """Open by code (the archive's own check), or POST the PDF held (compared and validated)."""
    copy, problem = (_uploaded(request.files.get("pdf")) if request.method == "POST" else (None, None))
    settings = get_runtime().settings
    result = verify_by_code(get_runtime().store, code, trust_roots(settings.data_dir, settings.trust_roots), copy)
    status = 404 if result is None else (400 if problem else 200)
    return render_template("letters/verify_code.html", code=code, result=result, problem=problem), status


def _uploaded(file: FileStorage | None) -> tuple[bytes | None, str | None]:
    """The uploaded bytes if they are a PDF (sniffed, not trusted by name) within the limit."""
    if file is None or not file.filename:
        return None, "missing"
    data = file.stream.read(COPY_LIMIT + 1)
    if len(data) > COPY_LIMIT:
        return None, "too_large"
    if PDF_MAGIC not in data[:1024]:
        return None, "not_pdf"
    return data, None
