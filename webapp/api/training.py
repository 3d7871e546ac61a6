"""Training routes of the API: sessions (all users read; the credit office creates), enrollment
(an applicant for their own subject, or staff), attendance (staff), and certificate checks.

The certificate check is what a repair review uses: a number counts only for the subject it
was issued to.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.core.errors import InvalidInput
from workflows.core.models.training import Enrollment
from workflows.training import operations
from workflows.training.queries import SessionSummary, certificate_verdict, sessions_for
from workflows.training.service import ATTENDEE_MAX, LIMITS, MAX_CAPACITY, MODES

from ..auth.identity import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .util import iso_local, json_body

TAGS = ("training",)
SESSION = {"type": "object", "properties": {
    "id": {"type": "integer"}, "course": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
    "provider": {"type": "string"}, "mode": {"type": "string", "enum": list(MODES)}, "place": {"type": "string"},
    "capacity": {"type": "integer"}, "taken": {"type": "integer"}, "attended": {"type": "integer"},
    "status": {"type": "string", "enum": ["open", "closed", "cancelled"]}}}
ENROLLMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "session_id": {"type": "integer"}, "subject_code": {"type": "string"},
    "subject_name": {"type": "string"}, "attendee": {"type": "string"},
    "status": {"type": "string", "enum": ["enrolled", "attended", "absent", "cancelled"]},
    "certificate_no": {"type": ["string", "null"]}, "certificate_url": {"type": ["string", "null"]}}}
NEW_SESSION = {"type": "object", "required": ["course", "starts_at", "provider", "mode", "capacity"], "properties": {
    "course": {"type": "string", "maxLength": LIMITS["course"]},
    "starts_at": {"type": "string", "format": "date-time", "description": "years 2000–2100"},
    "provider": {"type": "string", "maxLength": LIMITS["provider"], "description": "may be a third party"},
    "mode": {"type": "string", "enum": list(MODES)},
    "place": {"type": "string", "maxLength": LIMITS["place"], "description": "required offline"},
    "capacity": {"type": "integer", "minimum": 1, "maximum": MAX_CAPACITY}}}


@bp.get("/training/sessions")
@api_permission(None)
@document("Training sessions, upcoming first (applicants: those open for enrollment)", tags=TAGS,
          responses={200: ("the sessions", {"type": "object", "properties": {
              "items": {"type": "array", "items": SESSION}}})})
def list_training_sessions():
    runtime = get_runtime()
    rows = sessions_for(runtime.store, current_actor(), runtime.clock.now())
    return jsonify({"items": [session_document(row) for row in rows]})


@bp.post("/training/sessions")
@api_permission("may_manage_training")
@document("Create a training session (free of charge; may be run by a third party)", tags=TAGS,
          request=NEW_SESSION, responses={201: ("the session", SESSION)})
def create_training_session():
    runtime = get_runtime()
    row = operations.open_session(runtime.store, current_actor(), json_body(), runtime.clock.now())
    return jsonify(session_document(SessionSummary(row, 0, 0))), 201


@bp.post("/training/sessions/<int:session_id>/enrollments")
@api_permission("may_enroll")
@document("Enroll a subject (applicants: their own subject, the default)", tags=TAGS, errors=(404, 409),
          request={"type": "object", "properties": {
              "subject_code": {"type": "string", "maxLength": 64},
              "attendee": {"type": "string", "maxLength": ATTENDEE_MAX, "description": "参训人员"}}},
          responses={201: ("the enrollment", ENROLLMENT)})
def enroll_subject(session_id: int):
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    code = body.get("subject_code") or actor.subject_code or ""
    row = operations.enroll_subject(runtime.store, actor, session_id, _text(code, "subject_code"),
                                    _text(body.get("attendee"), "attendee"), runtime.clock.now())
    return jsonify(enrollment_document(row)), 201


@bp.post("/training/enrollments/<int:enrollment_id>/attendance")
@api_permission("may_organise_training")
@document("Record attendance: attended issues the training certificate (培训证明); absent issues none",
          tags=TAGS, errors=(404, 409, 422), responses={200: ("the enrollment", ENROLLMENT)},
          request={"type": "object", "required": ["attended"], "properties": {"attended": {"type": "boolean"}}})
def enrollment_attendance(enrollment_id: int):
    body, runtime = json_body(), get_runtime()
    if not isinstance(body.get("attended"), bool):
        raise InvalidInput(_("Say whether the subject attended."), {"attended": _("Must be true or false")})
    row = operations.mark_attendance(runtime.store, current_actor(), enrollment_id, body["attended"], runtime.clock.now(),
                                     runtime.settings.public_url)
    return jsonify(enrollment_document(row))


@bp.get("/training/certificates/<number>")
@api_permission("may_read_training")
@document("Check a training certificate: valid only if issued to this subject after attending", tags=TAGS,
          parameters=(query_param("subject", "USCC or ID number of the subject", required=True),),
          responses={200: ("the verdict", {"type": "object", "properties": {
              "valid": {"type": "boolean"}, "enrollment": {"oneOf": [ENROLLMENT, {"type": "null"}]}}})})
def check_certificate(number: str):
    subject = request.args.get("subject", "").strip()
    if not subject:
        raise InvalidInput(_("Name the subject to check the certificate for."), {"subject": _("Required")})
    row = certificate_verdict(get_runtime().store, current_actor(), subject, number)
    return jsonify({"valid": row is not None,
                    "enrollment": enrollment_document(row) if row else None})


def session_document(item: SessionSummary) -> dict[str, Any]:
    row = item.session
    return {"id": row.id, "course": row.course, "starts_at": iso_local(row.starts_at), "provider": row.provider,
            "mode": row.mode, "place": row.place, "capacity": row.capacity, "taken": item.taken,
            "attended": item.attended, "status": row.status}


def enrollment_document(row: Enrollment) -> dict[str, Any]:
    """Only ever returned to staff or to the subject itself: the code is shown in full."""
    url = f"/api/v1/letters/{row.certificate_letter_id}.pdf" if row.certificate_letter_id else None
    return {"id": row.id, "session_id": row.session_id, "subject_name": row.subject_name,
            "subject_code": row.subject_code,
            "attendee": row.attendee, "status": row.status, "certificate_no": row.certificate_no,
            "certificate_url": url}


def _text(value: Any, field: str) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(_("Not a valid text value."), {field: _("Must be text")})
    return value or ""
