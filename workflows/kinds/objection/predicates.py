"""Gateway conditions of the objection flow (bpmn/objection.bpmn).

The department's verification ends in one of three outcomes; upholding the record is the
gateway's default flow, so it needs no predicate.
"""
from __future__ import annotations

from collections.abc import Callable


def is_correction(outcome: str | None) -> bool:
    """Verification found the record wrong in part: correct it (更正)."""
    return outcome == "correct"


def is_revocation(outcome: str | None) -> bool:
    """Verification found the record should not exist: revoke it (撤销)."""
    return outcome == "revoke"


PREDICATES: dict[str, Callable[..., bool]] = {
    "is_correction": is_correction,
    "is_revocation": is_revocation,
}
