"""What a reviewer or the applicant submits with each user task of bpmn/repair.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core.errors import InvalidInput
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.repair.vocabulary import DECISIONS


@task_data("review")
def review_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in DECISIONS:
        raise InvalidInput("请选择审核结论", {"decision": "可选：予以修复、不予修复、需补正"})
    reason = data.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    if decision != "approve" and not reason:
        raise InvalidInput("不予修复或要求补正时须说明理由", {"reason": "请填写理由"})
    items = data.get("supplement_items") or ([reason] if decision == "supplement" else [])
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise InvalidInput("补正事项格式不正确", {"supplement_items": "每项一句"})
    return {"decision": decision, "reason": reason[:MAX_TEXT], "supplement_items": [i.strip() for i in items]}


@task_data("provide_certificate")
def certificate_form(data: dict[str, Any]) -> dict[str, Any]:
    number = data.get("training_certificate_no")
    if not isinstance(number, str) or not number.strip():
        raise InvalidInput("请填写信用修复培训证明编号", {"training_certificate_no": "必填"})
    return {"training_certificate_no": number.strip()[:100]}


@task_data("supplement")
def supplement_form(data: dict[str, Any]) -> dict[str, Any]:
    rectification = data.get("rectification")
    if not isinstance(rectification, str) or not rectification.strip():
        raise InvalidInput("请说明补正情况", {"rectification": "必填"})
    note = data.get("note") if isinstance(data.get("note"), str) else ""
    return {"rectification": rectification.strip()[:MAX_TEXT], "supplement_note": note.strip()[:MAX_TEXT]}
