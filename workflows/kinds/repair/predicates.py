"""Gateway conditions of the credit-repair flow (bpmn/repair.bpmn)."""
from __future__ import annotations

from collections.abc import Callable


def training_requirement_met(training_ok: bool | None) -> bool:
    """A valid training certificate is on file, or none is required (有效或无需).

    Only an explicit yes counts: an unanswered check sends the applicant to provide one.
    """
    return training_ok is True


PREDICATES: dict[str, Callable[..., bool]] = {
    "training_requirement_met": training_requirement_met,
}
