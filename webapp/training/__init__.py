"""Credit-repair training (`/training`): sessions, enrollment, attendance and certificates for
staff, and `/training/my` where an applicant enrolls and downloads certificates.

Handlers parse → call `workflows.training.operations` / `queries` → redirect or render; the JSON twins
are the `/api/v1/training` routes.
"""
from __future__ import annotations

from webapp.training.blueprint import bp

from . import applicant, views  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
