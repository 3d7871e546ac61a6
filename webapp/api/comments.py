"""Internal comments of a case over the API: staff only (an applicant gets 403, never a note)."""
from __future__ import annotations

from flask import jsonify

from workflows.comments import MAX_LENGTH, add_comment, case_comments

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .schemas import INT, MOMENT, TEXT, obj
from .util import json_body

TAGS = ("cases",)
COMMENT = obj({"id": INT, "case_id": INT, "author": TEXT, "author_name": TEXT, "body": TEXT, "created_at": MOMENT})
COMMENT_REQUEST = {"type": "object", "required": ["body"], "properties": {
    "body": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}}}


@bp.get("/cases/<int:case_id>/comments")
@api_permission("may_read_comments")
@document("Internal notes of staff on a case, oldest first (staff only)", tags=TAGS, errors=(403, 404),
          responses={200: ("`{\"items\": [...]}`", obj({"items": {"type": "array", "items": COMMENT}}))})
def list_comments(case_id: int):
    comments = case_comments(get_runtime().store, current_actor(), case_id)
    return jsonify({"items": [c.document() for c in comments]})


@bp.post("/cases/<int:case_id>/comments")
@api_permission("may_comment_cases")
@document("Add an internal note to a case (staff only; never shown to applicants)", tags=TAGS,
          request=COMMENT_REQUEST, errors=(400, 403, 404), responses={201: ("the note", COMMENT)})
def post_comment(case_id: int):
    runtime = get_runtime()
    comment = add_comment(runtime.store, current_actor(), case_id, json_body().get("body"), runtime.clock.now())
    return jsonify(comment.document()), 201
