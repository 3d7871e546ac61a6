"""The words of credit repair (信用修复): its process id, the reviewer's decisions, and the
named conditions its gateways use."""
from __future__ import annotations

from collections.abc import Callable

KIND = "repair"  # the BPMN process id (bpmn/repair.bpmn)
LABEL = "信用修复"
PARTY_MESSAGES = frozenset({"withdraw"})  # what a party may send the running flow from outside its tasks
DECISIONS = {"approve": "予以修复", "reject": "不予修复", "supplement": "需补正"}
# the credit office's 本级审核 under 谁认定、谁修复 (22号 / Order 36): it checks and forwards
FIRST_REVIEW_DECISIONS = {"forward": "转认定部门", "supplement": "需补正"}
DEPARTMENT_PROCEDURE = "department"  # DMN repair_procedure: the designating department decides
LIST_KINDS = ("serious_list", "key_attention")  # repaired list entries are removed from the list


def training_requirement_met(training_ok: bool | None) -> bool:
    """A valid training certificate is on file, or none is required (有效或无需).

    Only an explicit yes counts: an unanswered check sends the applicant to provide one.
    """
    return training_ok is True


def is_department_procedure(procedure: str | None) -> bool:
    """The case was received under 22号 / Order 36: the designating department decides
    (谁认定、谁修复); anything else keeps the credit office's procedure (527 / Order 58)."""
    return procedure == DEPARTMENT_PROCEDURE


def returns_to_department(supplement_from: str | None) -> bool:
    """The supplement answered was asked for by the department: the file goes back to it."""
    return supplement_from == "department_decision"


PREDICATES: dict[str, Callable[..., bool]] = {
    "training_requirement_met": training_requirement_met,
    "is_department_procedure": is_department_procedure,
    "returns_to_department": returns_to_department,
}
