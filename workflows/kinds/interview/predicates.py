"""Gateway conditions of the warning-interview flow (bpmn/interview.bpmn).

Both answers are validated booleans; only an explicit yes counts, so a missing answer takes
the default (stricter) branch.
"""
from __future__ import annotations

from collections.abc import Callable


def attended_interview(attended: bool | None) -> bool:
    """The subject came to the interview (到场); otherwise it is recorded as a refusal."""
    return attended is True


def has_rectified(rectified: bool | None) -> bool:
    """The follow-up found the problem rectified (整改到位); otherwise the case escalates."""
    return rectified is True


PREDICATES: dict[str, Callable[..., bool]] = {
    "attended_interview": attended_interview,
    "has_rectified": has_rectified,
}
