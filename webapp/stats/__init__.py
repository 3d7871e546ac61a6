"""`/stats`: supervision statistics, their exports and the quarterly report (issue 18)."""
from __future__ import annotations

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
