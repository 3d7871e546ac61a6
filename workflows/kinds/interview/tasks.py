"""What the department submits with each user task of bpmn/interview.bpmn, checked."""
from __future__ import annotations

from typing import Any

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import text_field
from workflows.engine.registry import task_data
from workflows.kinds.common.filing import MAX_TEXT
from workflows.kinds.interview.vocabulary import LISTING_DECISIONS, TOPICS


@task_data("conduct")
def conduct_form(data: dict[str, Any]) -> dict[str, Any]:
    attended = data.get("attended")
    if not isinstance(attended, bool):
        raise InvalidInput("请说明被约谈方是否到场", {"attended": "请选择到场或未到场"})
    if not attended:
        return _absence(data)
    topics = data.get("topics_covered") or []
    if not isinstance(topics, list):
        raise InvalidInput("约谈内容应为列表", {"topics_covered": "请勾选约谈涉及的内容"})
    missing = [TOPICS[t] for t in TOPICS if t not in topics]
    if missing:
        raise InvalidInput("约谈须覆盖全部内容：" + "、".join(missing), {"topics_covered": "三项内容均须谈到并勾选"})
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


def _absence(data: dict[str, Any]) -> dict[str, Any]:
    """The officer says whether the subject had a justified reason (正当理由), and what happened:
    only an unjustified refusal bars repair and escalates (DOMAIN.md §I)."""
    justified = data.get("absence_justified")
    if not isinstance(justified, bool):
        raise InvalidInput("请说明被约谈方未到场是否有正当理由", {"absence_justified": "请选择有或没有正当理由"})
    note = text_field(data.get("absence_note"), "absence_note", "未到场情况说明", MAX_TEXT, required=justified)
    return {"attended": False, "absence_justified": justified, "absence_note": note}


@task_data("state_defence")
def defence_form(data: dict[str, Any]) -> dict[str, Any]:
    """陈述申辩: the subject's statement, or an explicit waiver."""
    waived = data.get("waived", False)
    if not isinstance(waived, bool):
        raise InvalidInput("放弃陈述申辩应为是或否", {"waived": "是或否"})
    defence = text_field(data.get("defence"), "defence", "陈述申辩意见", MAX_TEXT, required=not waived)
    return {"defence": "" if waived else defence, "waived": waived}


@task_data("decide_listing")
def listing_form(data: dict[str, Any]) -> dict[str, Any]:
    """The department's decision, with the reasons (which answer the subject's statement)."""
    errors: dict[str, str] = {}
    if data.get("listing") not in LISTING_DECISIONS:
        errors["listing"] = "请选择：列入重点关注名单或不予列入"
    reason = text_field(data.get("listing_reason"), "listing_reason", "决定理由（对陈述申辩的采纳情况）", MAX_TEXT,
                        required=True, errors=errors)
    if errors:
        raise InvalidInput("请完成列入重点关注名单的决定", errors)
    return {"listing": data["listing"], "listing_reason": reason}


@task_data("follow_up")
def follow_up_form(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("rectified"), bool):
        raise InvalidInput("请说明是否整改到位", {"rectified": "请选择已整改到位或未整改到位"})
    return {"rectified": data["rectified"], "note": text_field(data.get("note"), "note", "说明", MAX_TEXT)}
