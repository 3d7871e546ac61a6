"""Named gateway conditions several flows share (a flow reads like its diagram)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_approved(decision: str | None) -> bool:
    return decision == "approve"


def needs_supplement(decision: str | None) -> bool:
    return decision == "supplement"


def is_accepted(decision: str | None) -> bool:
    return decision == "accept"


def is_eligible(verdict: dict[str, Any] | None) -> bool:
    return bool(verdict and verdict.get("eligible"))


PREDICATES: dict[str, Callable[..., bool]] = {
    "is_approved": is_approved, "needs_supplement": needs_supplement,
    "is_accepted": is_accepted, "is_eligible": is_eligible,
}
