"""What a reviewer or the applicant submits with each user task of bpmn/repair.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import text_field, text_list
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.repair.vocabulary import DECISIONS, FIRST_REVIEW_DECISIONS


@task_data("review")
def review_form(data: dict[str, Any]) -> dict[str, Any]:
    """The credit office decides (527 / Order 58)."""
    return {**_decision(data, DECISIONS, "不予修复或要求补正时须说明理由"), "supplement_from": "review"}


@task_data("first_review")
def first_review_form(data: dict[str, Any]) -> dict[str, Any]:
    """The credit office's 本级审核 under 谁认定、谁修复: forward the file, or ask for a supplement."""
    return {**_decision(data, FIRST_REVIEW_DECISIONS, "要求补正时须说明理由"), "supplement_from": "first_review"}


@task_data("department_decision")
def department_form(data: dict[str, Any]) -> dict[str, Any]:
    """The designating department decides; a supplement it asks for goes out through the office."""
    return {**_decision(data, DECISIONS, "不予修复或要求补正时须说明理由"), "supplement_from": "department_decision"}


def _decision(data: dict[str, Any], choices: dict[str, str], reason_needed: str) -> dict[str, Any]:
    decision = data.get("decision")
    if not isinstance(decision, str) or decision not in choices:
        raise InvalidInput("请选择审核结论", {"decision": "请选择其中一项：" + "、".join(choices.values())})
    reason = text_field(data.get("reason"), "reason", "理由", MAX_TEXT)
    if decision in ("reject", "supplement") and not reason:
        raise InvalidInput(reason_needed, {"reason": "请填写理由"})
    raw = data.get("supplement_items") or ([reason] if decision == "supplement" else [])
    if not isinstance(raw, list) or not all(isinstance(i, str) and i.strip() for i in raw):
        raise InvalidInput("补正事项格式不正确", {"supplement_items": "每项一句"})
    items = text_list(raw, "supplement_items", "补正事项", limits.ITEMS, MAX_TEXT)
    return {"decision": decision, "reason": reason, "supplement_items": items}


@task_data("provide_certificate")
def certificate_form(data: dict[str, Any]) -> dict[str, Any]:
    number = text_field(data.get("training_certificate_no"), "training_certificate_no", "信用修复培训证明编号",
                        limits.NAME)
    if not number:
        raise InvalidInput("请填写信用修复培训证明编号", {"training_certificate_no": "必填"})
    return {"training_certificate_no": number}


@task_data("supplement")
def supplement_form(data: dict[str, Any]) -> dict[str, Any]:
    rectification = text_field(data.get("rectification"), "rectification", "补正情况", MAX_TEXT)
    if not rectification:
        raise InvalidInput("请说明补正情况", {"rectification": "必填"})
    note = text_field(data.get("note"), "note", "说明", MAX_TEXT)
    return {"rectification": rectification, "supplement_note": note}
