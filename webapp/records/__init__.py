"""Staff pages for credit records (`/records`): list with search and filters, detail, create.

Handlers parse → call `workflows.records.operations` / `queries` → render; the JSON twins are the
`/api/v1/records` routes.
"""
from __future__ import annotations

from webapp.records.blueprint import bp

from . import views  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
