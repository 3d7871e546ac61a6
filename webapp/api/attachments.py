"""Attachment routes of the API: upload to a case, list a case's files, download one.

Downloads are served so a browser cannot be tricked into running them: the sniffed type,
`nosniff`, and a sandboxing Content-Security-Policy, whatever the bytes contain.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, jsonify, request
from flask_babel import gettext as _

from workflows.core.errors import InvalidInput
from workflows.kinds.common.attachments import MAX_BYTES, PURPOSES
from workflows.kinds.common.case_files import Upload, attach_file, case_files, open_file

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import Binary, document

TAGS = ("attachments",)
ATTACHMENT = {"type": "object", "required": ["id", "filename", "content_type", "size", "sha256", "url"],
              "properties": {"id": {"type": "string"}, "filename": {"type": "string"},
                             "content_type": {"type": "string", "enum": ["application/pdf", "image/jpeg", "image/png"]},
                             "size": {"type": "integer"}, "sha256": {"type": "string"},
                             "purpose": {"type": "string", "enum": list(PURPOSES)}, "url": {"type": "string"}}}
UPLOAD = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "PDF, JPEG or PNG, at most 10 MB"},
    "purpose": {"type": "string", "enum": list(PURPOSES)}}}
UPLOAD_HELP = ("multipart/form-data with `file` (PDF, JPEG or PNG, at most 10 MB; the type is taken "
               "from the content) and optional `purpose` (" + ", ".join(PURPOSES) + ", default proof).")


@bp.post("/cases/<int:case_id>/attachments")
@api_permission("may_upload_attachments")
@document("Upload a file to a running case (parties only)", description=UPLOAD_HELP, tags=TAGS,
          errors=(400, 404, 409, 413), responses={201: ("the stored attachment", ATTACHMENT)},
          request=UPLOAD, request_media="multipart/form-data")
def upload_attachment(case_id: int):
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput(_("Choose a file to upload."), {"file": _("Required")})
    data = upload.read(MAX_BYTES + 1)  # one byte over is enough to refuse it
    runtime = get_runtime()
    chosen = Upload(upload.filename or "", data, request.form.get("purpose") or "proof")
    return jsonify(attach_file(runtime.store, current_actor(), case_id, chosen, runtime.clock.now())), 201


@bp.get("/cases/<int:case_id>/attachments")
@api_permission(None)
@document("The files of a case", tags=TAGS, errors=(404,),
          responses={200: ("`{\"items\": [...]}`", {"type": "object", "properties": {
              "items": {"type": "array", "items": ATTACHMENT}}})})
def case_attachments(case_id: int):
    return jsonify({"items": case_files(get_runtime().store, current_actor(), case_id)})


@bp.get("/attachments/<attachment_id>")
@api_permission(None)
@document("Download a file: the stored bytes with their sniffed type", tags=TAGS, errors=(404,),
          responses={200: ("the file", Binary(("application/pdf", "image/jpeg", "image/png"),
                                              ("Content-Disposition", "ETag")))})
def download_attachment(attachment_id: str):
    attachment = open_file(get_runtime().store, current_actor(), attachment_id)
    return file_response(attachment.data, attachment.content_type, attachment.filename, attachment.sha256)


def file_response(data: bytes, content_type: str, filename: str, etag: str) -> Response:
    """Inline is safe only because the type is one of the sniffed PDF/JPEG/PNG."""
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Browsers' built-in PDF viewers do not run in a sandboxed document; PDFs keep the
    # no-fetch policy, images get the full sandbox.
    sandbox = "" if content_type == "application/pdf" else "; sandbox"
    response.headers["Content-Security-Policy"] = f"default-src 'none'{sandbox}"
    response.headers["Cache-Control"] = "private"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.set_etag(etag)
    return response
