"""The `stats` blueprint object, apart from its views so they can import it without a cycle."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/stats")
