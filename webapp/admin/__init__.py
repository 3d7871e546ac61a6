"""Credit-office administration: departments, users, system clients and the working-day calendar
(admin), the audit log (auditor, admin)."""
from __future__ import annotations

from webapp.admin.blueprint import bp

from . import audit, calendar, certificates, clients, departments, letters, users  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
