"""What the department submits with each user task of bpmn/interview.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core.errors import InvalidInput
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.interview.vocabulary import TOPICS


@task_data("conduct")
def conduct_form(data: dict[str, Any]) -> dict[str, Any]:
    attended = data.get("attended")
    if not isinstance(attended, bool):
        raise InvalidInput("请说明被约谈方是否到场", {"attended": "是或否"})
    if not attended:
        return {"attended": False, "absence_note": _text(data.get("absence_note"))[:MAX_TEXT]}
    topics = data.get("topics_covered") or []
    missing = [TOPICS[t] for t in TOPICS if t not in topics]
    if missing:
        raise InvalidInput("约谈须覆盖全部内容：" + "、".join(missing), {"topics_covered": "须包含 policy、measures、repair"})
    plan, days = _text(data.get("rectification_plan")), data.get("rectification_due_days")
    errors = {}
    if not plan:
        errors["rectification_plan"] = "请填写整改要求"
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        errors["rectification_due_days"] = "整改期限为1至365个工作日"
    if errors:
        raise InvalidInput("约谈记录不完整", errors)
    return {"attended": True, "topics_covered": list(TOPICS), "rectification_plan": plan[:MAX_TEXT],
            "rectification_due_days": days, "attendees": _text(data.get("attendees"))[:300],
            "statement": _text(data.get("statement"))[:MAX_TEXT]}


@task_data("follow_up")
def follow_up_form(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("rectified"), bool):
        raise InvalidInput("请说明是否整改到位", {"rectified": "是或否"})
    return {"rectified": data["rectified"], "note": _text(data.get("note"))[:MAX_TEXT]}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
