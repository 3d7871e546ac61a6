"""`GET /api/v1/openapi.json`: the generated description of every documented route."""
from __future__ import annotations

from flask import Response, current_app, jsonify

from .blueprint import bp
from .openapi import build_document, document

API_TITLE = "credit-cases API"
API_VERSION = "1"


@bp.get("/openapi.json")
@document("This OpenAPI 3.1 document", tags=["meta"], responses={200: ("OpenAPI document", {
    "type": "object", "required": ["openapi", "info", "paths"]})})
def openapi_json() -> Response:
    return jsonify(build_document(current_app, API_TITLE, API_VERSION))
