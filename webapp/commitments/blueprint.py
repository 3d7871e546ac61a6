"""The `commitments` blueprint object, apart from its views so they can import it without a cycle."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("commitments", __name__, url_prefix="/commitments")
