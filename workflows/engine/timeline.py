"""How the audit log reads to a person: who acted by name, and names in the summaries that
mention people. The stored rows keep usernames (they are the audit's keys); this is the reading.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from workflows.people.names import name_of

ASSIGNMENT_KINDS = frozenset({"task_claimed", "task_unclaimed", "task_assigned"})  # summary ends "：a → b"
STARTED = "case_started"  # summary starts with the actor's username


class EventLike(Protocol):
    actor: str
    kind: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def event_usernames(events: Iterable[EventLike]) -> set[str]:
    """Everyone a list of events shows: the actors, and the people tasks went from and to."""
    found = set()
    for event in events:
        found.add(event.actor)
        if event.kind in ASSIGNMENT_KINDS:
            found.update(_assignee(event.before), _assignee(event.after))
            away = (event.after or {}).get("delegated_from")
            if isinstance(away, str):
                found.add(away)
    found.discard("")
    return found


def readable_summary(event: EventLike, names: dict[str, str]) -> str:
    """The summary with people's names where the engine wrote usernames (older rows too)."""
    if event.kind == STARTED:
        return event.summary.removeprefix(f"{event.actor} ")  # stored as "<username> 发起案件"
    if event.kind in ASSIGNMENT_KINDS and "”：" in event.summary:
        head = event.summary.split("”：", 1)[0] + "”"
        before, after = _assignee(event.before), _assignee(event.after)
        away = (event.after or {}).get("delegated_from")  # out-of-office delegation (people/delegation.py)
        note = f"（{name_of(names, away)}外出，由代办人办理）" if isinstance(away, str) and away else ""
        return f"{head}：{name_of(names, before) or '无'} → {name_of(names, after) or '无'}{note}"
    return event.summary


def _assignee(values: dict[str, Any] | None) -> str:
    value = (values or {}).get("assignee")
    return value if isinstance(value, str) else ""
