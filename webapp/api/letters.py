"""Letter routes of the API: metadata, the archived PDF, preview, issue on a case, re-issue."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _

import letters
from workflows.archive import operations
from workflows.archive.queries import letter_for, letter_metadata as metadata_of, rendering_state
from workflows.core.errors import InvalidInput
from workflows.engine.case_view import iso

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import ARCHIVED_PDF, PDF, document
from .schemas import LETTER, PENDING_LETTER
from .util import json_body

TAGS = ("letters",)
LETTER_REQUEST = {"type": "object", "required": ["type", "context"], "properties": {
    "type": {"type": "string", "enum": list(letters.TYPES)}, "context": {"type": "object"}}}


@bp.get("/letters/<int:letter_id>")
@api_permission(None)
@document("Letter metadata (number, status pending|issued, sha256 once issued, download URL)", tags=TAGS,
          errors=(404,), responses={200: ("the letter", LETTER)})
def letter_metadata(letter_id: int):
    return jsonify(metadata_of(get_runtime().store, current_actor(), letter_id))


PENDING_RETRY_SECONDS = 2  # a letter renders in well under a second once a worker has it


@bp.get("/letters/<int:letter_id>.pdf")
@api_permission(None)
@document("The archived PDF: identical bytes on every download; 202 with Retry-After while the "
          "letter is still being rendered (status pending)", tags=TAGS, errors=(404,),
          responses={200: ("the PDF (ETag: its sha256)", ARCHIVED_PDF),
                     202: ("the letter is pending: retry after Retry-After seconds", PENDING_LETTER)})
def letter_pdf(letter_id: int):
    letter = letter_for(get_runtime().store, current_actor(), letter_id)
    if letter.pending:
        return pending_response(letter)
    return pdf_response(letter.pdf, f"{letter.title}{letter.number}.pdf", etag=letter.sha256)


def pending_response(letter) -> Response:
    """202 + Retry-After: numbered, not rendered yet. A browser gets a page that reloads itself."""
    message = _("The letter %(number)s is being generated; please try again in a moment.", number=letter.number)
    if request.accept_mimetypes.accept_html and "Authorization" not in request.headers:
        response = Response(render_template("letters/pending.html", letter=letter, message=message,
                                            retry=PENDING_RETRY_SECONDS), mimetype="text/html")
    else:
        response = jsonify({"id": letter.id, "number": letter.number, "status": letter.status,
                            "state": letter.status, "message": message})
    response.status_code = 202
    response.headers["Retry-After"] = str(PENDING_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/letters/preview")
@api_permission("may_issue_letters")
@document("Render a letter for checking before it is issued (no number is taken)", tags=TAGS,
          request=LETTER_REQUEST, errors=(400,), responses={200: ("the draft PDF", PDF)})
def preview_letter():
    body = json_body()
    runtime = get_runtime()
    context = operations.preview_context(body.get("type"), body.get("context"), runtime.clock.now(),
                                         runtime.settings.public_url, number=_("(draft, not yet numbered)"))
    context.update(number=_("(draft, not yet numbered)"), verification_code="PREVIEW",
                   verify_url=runtime.settings.public_url)
    return pdf_response(letters.render(body["type"], context), "preview.pdf", inline=True)


@bp.post("/cases/<int:case_id>/letters")
@api_permission("may_issue_letters")
@document("Issue a letter on a case (numbered and audited now, rendered and archived just after: status pending)",
          tags=TAGS, request=LETTER_REQUEST, errors=(400, 403, 404), responses={201: ("the letter", LETTER)})
def issue_on_case(case_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    letter = operations.issue_on_case(runtime.store, actor, case_id, str(body.get("type")), _context(body),
                                      runtime.clock.now(), runtime.settings.public_url)
    return jsonify(letter), 201


@bp.post("/letters/<int:letter_id>/reissue")
@api_permission("may_issue_letters")
@document("Re-issue a letter with corrections: a new number; the old letter is kept", tags=TAGS,
          errors=(400, 404, 409), responses={201: ("the new letter", LETTER)},
          request={"type": "object", "properties": {"changes": {"type": "object"}}})
def reissue(letter_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    changes = body.get("changes", {})
    if not isinstance(changes, dict):
        raise InvalidInput(_("The changes must be an object."), {"changes": _("Must be a JSON object")})
    letter = operations.reissue(runtime.store, actor, letter_id, changes, runtime.clock.now(),
                                runtime.settings.public_url)
    return jsonify(letter), 201


@bp.get("/admin/letters/rendering")
@api_permission("may_watch_letter_rendering")
@document("Letters numbered but not rendered yet: the backlog and, failures first, each letter's "
          "attempts, last error and next attempt (the sweeps retry them)", tags=TAGS, errors=(403,))
def letters_rendering():
    runtime = get_runtime()
    state = rendering_state(runtime.store, current_actor(), runtime.clock.now())
    return jsonify({"pending": state.backlog.pending, "failing": state.backlog.failing,
                    "overdue": state.backlog.overdue, "oldest_issued_at": iso(state.backlog.oldest),
                    "items": [{**item, "issued_at": iso(item["issued_at"]), "next_render_at": iso(item["next_render_at"])}
                              for item in state.letters]})


RETRIED = {"type": "object", "required": ["id", "number", "status", "next_render_at"], "properties": {
    "id": {"type": "integer"}, "number": {"type": "string"}, "status": {"type": "string", "enum": ["pending"]},
    "next_render_at": {"type": "string", "format": "date-time"}}}


@bp.post("/admin/letters/<int:letter_id>/retry")
@api_permission("may_retry_letter_rendering")
@document("Try a pending (e.g. failed) letter's rendering again now instead of at its next scheduled "
          "attempt; 409 once it is issued", tags=TAGS, errors=(403, 404, 409),
          responses={202: ("the letter, due now", RETRIED)})
def retry_letter_rendering(letter_id: int):
    runtime = get_runtime()
    retried = operations.retry_rendering(runtime.store, current_actor(), letter_id, runtime.clock.now())
    return jsonify({**retried, "next_render_at": iso(retried["next_render_at"])}), 202


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
