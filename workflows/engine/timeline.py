"""How the audit log reads to a person: who acted by name, and names in the summaries that
mention people. The stored rows keep usernames (they are the audit's keys); this is the reading.

A step's rows all carry the account that set the step off, but only some are that person's
own act (filing, completing a task, claiming); the rest — letters, acceptance, deadlines,
closing — the system did on its own, and a timer's consequences happened because time ran out.
A reader sees 系统（自动） and 系统（到期） for those, never the applicant or the reviewer.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from workflows.people.names import name_of

ASSIGNMENT_KINDS = frozenset({"task_claimed", "task_unclaimed", "task_assigned"})  # summary ends "：a → b"
STARTED = "case_started"  # summary starts with the actor's username
COMPLETED = "task_completed"
CLOSED = "case_closed"
SYSTEM = "system"
# What a person (or a connected system) does in person; anything else in a step is the system's.
PERSONAL_KINDS = ASSIGNMENT_KINDS | {STARTED, COMPLETED, "attachment_added", "message_received", "binding_revoked"}
DUE_KINDS = frozenset({"timer_fired", "timer_failed", "result_overdue", "sla_breach", "deficiency_missed"})
NEVER_DUE = frozenset({"letter_archived", "letter_render_failed", "message_ignored", "message_received"})
AUTOMATIC = "系统（自动）"
ON_TIME = "系统（到期）"


class EventLike(Protocol):
    at: datetime
    actor: str
    kind: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Words(Protocol):
    """A case kind's vocabulary for its decisions and outcomes (workflows.kinds supplies it)."""

    def choices(self, data: dict[str, Any]) -> str: ...

    def outcome(self, outcome: str) -> str: ...


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


def shown_actors(events: list[EventLike], names: dict[str, str]) -> list[str]:
    """Who each row credits, in order: a person for their own act, else 系统（自动）, or
    系统（到期） for a timer and what it set off (the system's rows of the same moment)."""
    timer_moments = {_second(event.at) for event in events if event.kind == "timer_fired"}
    return [shown_actor(event, names, _second(event.at) in timer_moments) for event in events]


def shown_actor(event: EventLike, names: dict[str, str], at_a_timer: bool = False) -> str:
    if event.kind in DUE_KINDS or (at_a_timer and event.actor == SYSTEM and event.kind not in NEVER_DUE):
        return ON_TIME
    if event.kind in PERSONAL_KINDS and event.actor != SYSTEM:  # a connected system by its name
        return name_of(names, event.actor)
    return AUTOMATIC


def readable_summary(event: EventLike, names: dict[str, str], words: Words | None = None) -> str:
    """The summary with people's names where the engine wrote usernames (older rows too) and,
    given the kind's `words`, the decision taken with its reason and the outcome in Chinese."""
    if event.kind == STARTED:
        return event.summary.removeprefix(f"{event.actor} ")  # stored as "<username> 发起案件"
    if event.kind in ASSIGNMENT_KINDS and "”：" in event.summary:
        head = event.summary.split("”：", 1)[0] + "”"
        before, after = _assignee(event.before), _assignee(event.after)
        away = (event.after or {}).get("delegated_from")  # out-of-office delegation (people/delegation.py)
        note = f"（{name_of(names, away)}外出，由代办人办理）" if isinstance(away, str) and away else ""
        return f"{head}：{name_of(names, before) or '无'} → {name_of(names, after) or '无'}{note}"
    if words is not None and event.kind == COMPLETED:
        return _with_decision(event.summary, (event.after or {}).get("data") or {}, words)
    if words is not None and event.kind == CLOSED:
        outcome = (event.after or {}).get("outcome")
        return f"案件办结：{words.outcome(outcome)}" if outcome else "案件办结"
    return event.summary


def _with_decision(summary: str, data: dict[str, Any], words: Words) -> str:
    chosen = words.choices(data)
    reason = data.get("reason") if isinstance(data.get("reason"), str) else ""
    return summary + (f"：{chosen}" if chosen else "") + (f"。理由：{reason.strip()}" if reason.strip() else "")


def _second(moment: datetime) -> datetime:
    """A step's rows are stamped as it runs, microseconds apart: the second groups them."""
    return moment.replace(microsecond=0)


def _assignee(values: dict[str, Any] | None) -> str:
    value = (values or {}).get("assignee")
    return value if isinstance(value, str) else ""
