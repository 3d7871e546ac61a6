"""The words of objections (异议): what may be objected to, the verification outcomes, and the
named conditions its gateways use.

The department's verification ends in one of three outcomes; upholding the record is the
gateway's default flow, so it needs no predicate.
"""
from __future__ import annotations

from collections.abc import Callable

KIND = "objection"  # the BPMN process id (bpmn/objection.bpmn)
LABEL = "异议"
PARTY_MESSAGES = frozenset({"withdraw"})  # what a party may send the running flow from outside its tasks
TARGETS = {"content": "信息内容", "period": "公示期限", "repair_result": "信用修复结果"}
OUTCOMES = ("correct", "revoke", "uphold")
CORRECTABLE = ("decision_no", "decision_date", "severity", "category", "facts", "basis", "content",
               "fine_amount", "department_name", "subject_name")


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
