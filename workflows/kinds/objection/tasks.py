"""What reviewers submit with each user task of bpmn/objection.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import text_field
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.objection.vocabulary import CORRECTABLE, OUTCOMES

NO_CHANGE = "请在“更正内容”中至少改动一项"


@task_data("first_review")
def first_review_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择是否受理", {"decision": "请选择受理或不予受理"})
    reason = text_field(data.get("reason"), "reason", "理由", MAX_TEXT)
    if decision == "reject" and not reason:
        raise InvalidInput("不予受理须说明理由", {"reason": "例如：重复提出、不属于异议范围"})
    return {"decision": decision, "reason": reason}


@task_data("verify")
def verify_form(data: dict[str, Any]) -> dict[str, Any]:
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput("请选择核实结论", {"outcome": "请选择更正、撤销或维持"})
    reason = text_field(data.get("reason"), "reason", "核实情况及理由", MAX_TEXT)
    corrections = data.get("corrections") or {}
    if not reason:  # said together with missing corrections: one round trip for both
        fields = {"reason": "请填写核实情况及理由"}
        if outcome == "correct" and not corrections:
            fields["corrections"] = NO_CHANGE
        raise InvalidInput("请填写核实情况及理由", fields)
    if outcome == "correct":
        corrections = _corrections(corrections)
    return {"outcome": outcome, "reason": reason, "corrections": corrections if outcome == "correct" else {}}


def _corrections(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise InvalidInput("更正时须列出更正的字段和新内容", {"corrections": NO_CHANGE})
    unknown = [k for k in value if k not in CORRECTABLE]
    if unknown:
        raise InvalidInput("不能更正这些字段", {"corrections": f"不可更正：{', '.join(unknown)}"[:limits.LINE]})
    if any(not isinstance(v, str | int | float) or isinstance(v, str) and len(v) > limits.LONG_TEXT
           for v in value.values()):  # each value is checked as the record's field when applied
        raise InvalidInput("更正内容不正确", {"corrections": f"每项新内容应为文字，不超过{limits.LONG_TEXT}个字"})
    return {k: v for k, v in value.items()}
