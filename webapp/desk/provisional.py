"""Desk pages mark a due time that falls in a year whose State Council holiday notice is not
entered and confirmed yet: it is the `holidays` package's estimate, without 调休 (issue 14 §5)."""
from __future__ import annotations

from datetime import datetime

from workflows.core.clock import to_local

from ..runtime import get_runtime
from .blueprint import bp


@bp.context_processor
def provisional_helpers() -> dict[str, object]:
    calendar = []  # loaded on first use: most pages show no due time

    def provisional_due(due_at: datetime | None) -> bool:
        if due_at is None:
            return False
        if not calendar:
            calendar.append(get_runtime().calendar.get())
        return not calendar[0].is_confirmed_year(to_local(due_at).year)

    return {"provisional_due": provisional_due}
