"""The audit row of an administrative change: a `case_event` that belongs to no case."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.models.cases import CaseEvent
from workflows.people.access import Actor


def audit(session: Session, actor: Actor, kind: str, summary: str, now: datetime, *,
          before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append the event; the caller's transaction commits it with the change itself."""
    session.add(CaseEvent(case_id=None, kind=kind, actor=actor.username, at=as_utc(now),
                          summary=summary[:500], before=before, after=after))
