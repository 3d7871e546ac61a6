"""Letter routes of the API: metadata, the archived PDF, preview, issue on a case, re-issue."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, jsonify, request
from flask_babel import gettext as _

import letters
from workflows.archive.issuing import checked_context, issue_letter, reissue_letter
from workflows.engine.case_view import letter_document, readable_case, readable_letter
from workflows.core.errors import InvalidInput

from ..auth.identity import api_auth, current_actor
from ..runtime import get_runtime
from . import bp
from .openapi import document
from .util import json_body

ISSUERS = ("reviewer", "supervisor", "department", "admin")
TAGS = ("letters",)
LETTER_REQUEST = {"type": "object", "required": ["type", "context"], "properties": {
    "type": {"type": "string", "enum": list(letters.TYPES)}, "context": {"type": "object"}}}


@bp.get("/letters/<int:letter_id>")
@api_auth()
@document("Letter metadata (number, sha256, download URL)", tags=TAGS, errors=(404,))
def letter_metadata(letter_id: int):
    with get_runtime().store.read() as session:
        return jsonify(letter_document(readable_letter(session, current_actor(), letter_id)))


@bp.get("/letters/<int:letter_id>.pdf")
@api_auth()
@document("The archived PDF: identical bytes on every download", tags=TAGS, errors=(404,),
          responses={200: ("application/pdf", None)})
def letter_pdf(letter_id: int):
    with get_runtime().store.read() as session:
        letter = readable_letter(session, current_actor(), letter_id)
        return pdf_response(letter.pdf, f"{letter.title}{letter.number}.pdf", etag=letter.sha256)


@bp.post("/letters/preview")
@api_auth(*ISSUERS)
@document("Render a letter for checking before it is issued (no number is taken)", tags=TAGS,
          request=LETTER_REQUEST, errors=(400,), responses={200: ("application/pdf", None)})
def preview_letter():
    body = json_body()
    runtime = get_runtime()
    context = checked_context(str(body.get("type")), body.get("context"), runtime.clock.now(),
                              runtime.settings.public_url, number=_("(draft, not yet numbered)"))
    context.update(number=_("(draft, not yet numbered)"), verification_code="PREVIEW",
                   verify_url=runtime.settings.public_url)
    return pdf_response(letters.render(body["type"], context), "preview.pdf", inline=True)


@bp.post("/cases/<int:case_id>/letters")
@api_auth(*ISSUERS)
@document("Issue a letter on a case (numbered, archived, audited)", tags=TAGS, request=LETTER_REQUEST,
          errors=(400, 403, 404), responses={201: ("the letter", None)})
def issue_on_case(case_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    with runtime.store.write() as uow:
        case = readable_case(uow.session, actor, case_id)
        letter = issue_letter(uow.session, str(body.get("type")), _context(body), actor=actor.username,
                              now=runtime.clock.now(), public_url=runtime.settings.public_url, case_id=case.id)
        uow.commit()
    return jsonify(letter_document(letter)), 201


@bp.post("/letters/<int:letter_id>/reissue")
@api_auth(*ISSUERS)
@document("Re-issue a letter with corrections: a new number; the old letter is kept", tags=TAGS,
          errors=(400, 404, 409), responses={201: ("the new letter", None)},
          request={"type": "object", "properties": {"changes": {"type": "object"}}})
def reissue(letter_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    changes = body.get("changes", {})
    if not isinstance(changes, dict):
        raise InvalidInput(_("The changes must be an object."), {"changes": _("Must be a JSON object")})
    with runtime.store.write() as uow:
        readable_letter(uow.session, actor, letter_id)
        letter = reissue_letter(uow.session, letter_id, changes, actor=actor.username,
                                now=runtime.clock.now(), public_url=runtime.settings.public_url)
        uow.commit()
    return jsonify(letter_document(letter)), 201


def _context(body: dict) -> dict:
    context = body.get("context")
    if not isinstance(context, dict):
        raise InvalidInput(_("The letter data must be an object."), {"context": _("Must be a JSON object")})
    return context


def pdf_response(pdf: bytes, filename: str, etag: str | None = None, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if etag:
        response.set_etag(etag)
    return response
