"""Every table, one module per area, on one declarative base (DESIGN.md principle 4).

The case row holds the whole workflow state as one JSON document; `human_task`,
`case_event` and `next_timer_at` are projections rebuilt on every advance. Times are stored
in UTC. Importing any model module loads them all, so every foreign key finds its table.
"""
from __future__ import annotations

from workflows.core.models import (  # noqa: F401  (each module adds its tables to Base.metadata)
    attachments,
    calendar,
    cases,
    commitments,
    letters,
    notifications,
    people,
    records,
    requests,
    statistics,
    training,
    warnings,
    worklists,
)
from workflows.core.models.base import Base

metadata = Base.metadata
