"""The JSON API under /api/v1 (API.md): one blueprint, routes added by the modules below.

Bearer tokens authenticate it, so it is exempt from form CSRF checks (see `create_app`);
a route module registers its views on `bp` and describes them with `openapi.document`.
"""
from __future__ import annotations

from webapp.api.blueprint import bp

# In this order (the OpenAPI document lists paths as registered).
from . import tokens  # noqa: F401  (each module registers its routes on bp)
from . import calendar, meta, letters, attachments, cases, records, outbox  # noqa: F401,I001
from . import commitments, training, warnings, tasks, audit, statistics  # noqa: F401,I001
from . import admin, admin_clients, notifications  # noqa: F401,I001
from . import case_search, comments, delegations  # noqa: F401,I001  (issue 17)
from . import idempotency_key  # noqa: F401,I001  (Idempotency-Key on every POST: hooks on bp)

__all__ = ["bp"]
