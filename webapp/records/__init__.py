"""Staff pages for credit records (`/records`): list with search and filters, detail, create.

Handlers parse → call `workflows.records.operations` / `queries` → render; the JSON twins are the
`/api/v1/records` routes.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("records", __name__, url_prefix="/records")

from . import views  # noqa: E402,F401  (views register themselves on bp)
