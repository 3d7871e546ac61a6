"""Credit-repair training (`/training`): sessions, enrollment, attendance and certificates for
staff, and `/training/my` where an applicant enrolls and downloads certificates.

Handlers parse → call `workflows.training.operations` / `queries` → redirect or render; the JSON twins
are the `/api/v1/training` routes.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from . import applicant, views  # noqa: E402,F401  (views register themselves on bp)
