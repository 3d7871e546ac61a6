"""The words of credit commitments (信用承诺): disclosure, fulfilment, and the named conditions
its gateways use."""
from __future__ import annotations

from collections.abc import Callable

KIND = "commitment"  # the BPMN process id (bpmn/commitment.bpmn)
LABEL = "信用承诺"
PARTY_MESSAGES = frozenset({"breach_reported"})  # what a party may send the running flow from outside its tasks
DISCLOSURES = {"public": "可向社会公开", "restricted": "特定范围内公开", "private": "不可公开"}
FULFILMENTS = {"full": "全部履行", "partial": "部分履行", "none": "全部未履行", "false": "虚假承诺"}


def is_deficiency_acceptance(commitment_type: str | None) -> bool:
    """容缺受理: accepted with materials missing, so the applicant must supply them in time."""
    return commitment_type == "deficiency_acceptance"


def is_fully_fulfilled(fulfilment: str | None) -> bool:
    """全部履行: only full fulfilment counts as kept; partial, none or false is a breach."""
    return fulfilment == "full"


def is_repair_commitment(origin: str | None) -> bool:
    """信用修复型 signed inside a repair request: already made, published and accepted there."""
    return origin == "repair"


def is_breach_confirmed(breach_decision: str | None) -> bool:
    """违诺处理决定: the department confirms the breach after the party was heard; else dropped."""
    return breach_decision == "confirm"


PREDICATES: dict[str, Callable[..., bool]] = {
    "is_deficiency_acceptance": is_deficiency_acceptance,
    "is_fully_fulfilled": is_fully_fulfilled,
    "is_repair_commitment": is_repair_commitment,
    "is_breach_confirmed": is_breach_confirmed,
}
BREACH_DECISIONS = {"confirm": "认定违诺", "drop": "不予认定违诺"}
