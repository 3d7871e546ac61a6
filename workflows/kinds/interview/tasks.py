"""What the department submits with each user task of bpmn/interview.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import text_field
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.interview.vocabulary import TOPICS


@task_data("conduct")
def conduct_form(data: dict[str, Any]) -> dict[str, Any]:
    attended = data.get("attended")
    if not isinstance(attended, bool):
        raise InvalidInput("请说明被约谈方是否到场", {"attended": "是或否"})
    if not attended:
        return {"attended": False,
                "absence_note": text_field(data.get("absence_note"), "absence_note", "未到场说明", MAX_TEXT)}
    topics = data.get("topics_covered") or []
    if not isinstance(topics, list):
        raise InvalidInput("约谈内容应为列表", {"topics_covered": "须包含 policy、measures、repair"})
    missing = [TOPICS[t] for t in TOPICS if t not in topics]
    if missing:
        raise InvalidInput("约谈须覆盖全部内容：" + "、".join(missing), {"topics_covered": "须包含 policy、measures、repair"})
    errors: dict[str, str] = {}
    plan = text_field(data.get("rectification_plan"), "rectification_plan", "整改要求", MAX_TEXT, required=True,
                      errors=errors)
    days = data.get("rectification_due_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        errors["rectification_due_days"] = "整改期限为1至365个工作日"
    attendees = text_field(data.get("attendees"), "attendees", "到场人员", limits.LINE, errors=errors)
    statement = text_field(data.get("statement"), "statement", "被约谈方陈述", MAX_TEXT, errors=errors)
    if errors:
        raise InvalidInput("约谈记录不完整", errors)
    return {"attended": True, "topics_covered": list(TOPICS), "rectification_plan": plan,
            "rectification_due_days": days, "attendees": attendees, "statement": statement}


@task_data("follow_up")
def follow_up_form(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("rectified"), bool):
        raise InvalidInput("请说明是否整改到位", {"rectified": "是或否"})
    return {"rectified": data["rectified"], "note": text_field(data.get("note"), "note", "说明", MAX_TEXT)}
