"""Credit-risk early warnings (`/warnings`, Xiamen seed §24): the list each department sees in its
inbox, a warning's evidence, the credit office's "scan now" button, and closing after the interview.

Handlers parse → call `workflows.warnings.operations` / `queries` (which check the permission
inside their transaction) → render; the JSON twins are the
`/api/v1/warnings` routes.
"""
from __future__ import annotations

from webapp.warnings.blueprint import bp

from . import views  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
