"""Gateway conditions of the credit-commitment flow (bpmn/commitment.bpmn)."""
from __future__ import annotations

from collections.abc import Callable


def is_deficiency_acceptance(commitment_type: str | None) -> bool:
    """容缺受理: accepted with materials missing, so the applicant must supply them in time."""
    return commitment_type == "deficiency_acceptance"


def is_fully_fulfilled(fulfilment: str | None) -> bool:
    """全部履行: only full fulfilment counts as kept; partial, none or false is a breach."""
    return fulfilment == "full"


PREDICATES: dict[str, Callable[..., bool]] = {
    "is_deficiency_acceptance": is_deficiency_acceptance,
    "is_fully_fulfilled": is_fully_fulfilled,
}
