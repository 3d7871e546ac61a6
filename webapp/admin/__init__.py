"""Credit-office administration (role `admin`): for now the working-day calendar."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import calendar  # noqa: E402,F401  (views register themselves on bp)
