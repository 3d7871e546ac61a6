"""Credit-office administration: the working-day calendar (admin) and the audit log (auditor, admin)."""
from __future__ import annotations

from webapp.admin.blueprint import bp

from . import audit, calendar  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
