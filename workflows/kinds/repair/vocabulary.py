"""The words of credit repair (信用修复): its process id, the reviewer's decisions, and the
named conditions its gateways use."""
from __future__ import annotations

from collections.abc import Callable

KIND = "repair"  # the BPMN process id (bpmn/repair.bpmn)
LABEL = "信用修复"
PARTY_MESSAGES = frozenset({"withdraw"})  # what a party may send the running flow from outside its tasks
DECISIONS = {"approve": "予以修复", "reject": "不予修复", "supplement": "需补正"}
LIST_KINDS = ("serious_list", "key_attention")  # repaired list entries are removed from the list


def training_requirement_met(training_ok: bool | None) -> bool:
    """A valid training certificate is on file, or none is required (有效或无需).

    Only an explicit yes counts: an unanswered check sends the applicant to provide one.
    """
    return training_ok is True


PREDICATES: dict[str, Callable[..., bool]] = {
    "training_requirement_met": training_requirement_met,
}
