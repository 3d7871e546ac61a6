"""Credit-office administration (role `admin`): departments, users, the working-day calendar."""
from __future__ import annotations

from webapp.admin.blueprint import bp

from . import calendar, departments, users  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
