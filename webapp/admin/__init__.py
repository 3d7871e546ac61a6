"""Credit-office administration (role `admin`): for now the working-day calendar."""
from __future__ import annotations

from webapp.admin.blueprint import bp

from . import calendar  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
