"""What the credit office and the filer submit with each user task of bpmn/binding.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core.errors import InvalidInput
from workflows.engine.registry import task_data
from workflows.kinds.binding.vocabulary import DECISIONS, NOTE_MAX
from workflows.kinds.common.filing import MAX_TEXT


@task_data("review")
def review_form(data: dict[str, Any]) -> dict[str, Any]:
    """Approve, reject (with the reason the filer is told) or ask for a supplement."""
    decision = data.get("decision")
    if decision not in DECISIONS:
        raise InvalidInput("请选择审核结论", {"decision": "可选：予以绑定、不予绑定、需补正"})
    reason = _text(data.get("reason"))
    if decision != "approve" and not reason:
        raise InvalidInput("不予绑定或要求补正时须说明理由", {"reason": "请填写理由"})
    if len(reason) > MAX_TEXT:
        raise InvalidInput(f"理由不超过{MAX_TEXT}字", {"reason": "过长"})
    items = data.get("supplement_items") or ([reason] if decision == "supplement" else [])
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items) or len(items) > 20:
        raise InvalidInput("补正事项格式不正确", {"supplement_items": "每项一句，最多20项"})
    return {"decision": decision, "reason": reason,
            "supplement_items": [i.strip()[:NOTE_MAX] for i in items] if decision == "supplement" else []}


@task_data("supplement")
def supplement_form(data: dict[str, Any]) -> dict[str, Any]:
    """The filer says what was supplemented (the files are attached beside it)."""
    note = _text(data.get("note"))
    if not note:
        raise InvalidInput("请说明补正情况", {"note": "必填"})
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"补正说明不超过{NOTE_MAX}字", {"note": "过长"})
    return {"supplement_note": note}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
