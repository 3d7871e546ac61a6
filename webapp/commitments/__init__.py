"""Credit commitments (`/commitments`): the staff register and dashboard, the import, the
standard texts, and the public listing (no login). The flow itself lives on the desk.

Handlers parse → call the store-level queries and operations of `workflows.kinds.commitment`
(`register`, `imports`, `templates`) → render; the JSON twins are the `/api/v1/commitments` routes.
"""
from __future__ import annotations

from webapp.commitments.blueprint import bp

from . import manage, views  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
