"""Gateway conditions shared by several flows, named so a condition reads like its diagram.

The engine passes these (with each kind's own) to the script environment; a BPMN condition is
then a call such as `is_accepted(decision)` instead of a comparison with a magic string.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def is_approved(decision: str | None) -> bool:
    """The reviewer decided to grant the request (repair: 予以修复)."""
    return decision == "approve"


def needs_supplement(decision: str | None) -> bool:
    """The reviewer asked the applicant for missing material (需补正)."""
    return decision == "supplement"


def is_accepted(decision: str | None) -> bool:
    """The request was taken up for handling (受理); anything else is not accepted."""
    return decision == "accept"


def is_eligible(verdict: Mapping[str, Any] | None) -> bool:
    """The eligibility check found every record repairable; no verdict means not eligible."""
    return bool(verdict and verdict.get("eligible"))


PREDICATES: dict[str, Callable[..., bool]] = {
    "is_approved": is_approved,
    "needs_supplement": needs_supplement,
    "is_accepted": is_accepted,
    "is_eligible": is_eligible,
}
