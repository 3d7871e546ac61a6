"""What the applicant and the accepting department submit with each user task of
bpmn/commitment.bpmn, checked (`fulfilment_data` also checks `POST /cases/{id}/breach`)."""
from __future__ import annotations

from typing import Any

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import text_field
from workflows.engine.registry import task_data
from workflows.kinds.commitment.vocabulary import BREACH_DECISIONS, FULFILMENTS
from workflows.kinds.common.filing import MAX_TEXT


@task_data("confirm")
def confirm_form(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("confirmed") is not True and data.get("confirmed") not in ("true", "on", "1"):
        raise InvalidInput("请确认并签署信用承诺书", {"confirmed": "须勾选确认"})
    signer = text_field(data.get("signer"), "signer", "签署人姓名", limits.NAME)
    if not signer:
        raise InvalidInput("请填写签署人姓名", {"signer": "必填"})
    return {"confirmed": True, "signer": signer}


@task_data("accept")
def accept_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择是否受理", {"decision": "请选择受理或不予受理"})
    reason = text_field(data.get("reason"), "reason", "理由", MAX_TEXT)
    if decision == "reject" and not reason:
        raise InvalidInput("不予受理须说明理由", {"reason": "必填"})
    return {"decision": decision, "reason": reason}


@task_data("supply")
def supply_form(data: dict[str, Any]) -> dict[str, Any]:
    supplied = text_field(data.get("supplied"), "supplied", "已补齐的材料", MAX_TEXT)
    if not supplied:
        raise InvalidInput("请说明已补齐的材料", {"supplied": "必填"})
    return {"supplied": supplied}


@task_data("verify")
def verify_form(data: dict[str, Any]) -> dict[str, Any]:
    return fulfilment_data(data)


@task_data("statement")
def statement_form(data: dict[str, Any]) -> dict[str, Any]:
    """陈述申辩: what the party says against the proposed breach finding, or that it waives the
    right (then the department may decide before the period ends). Files go as attachments."""
    waived = data.get("waived") in (True, "true", "on", "1")
    statement = text_field(data.get("statement"), "statement", "陈述申辩意见", MAX_TEXT)
    if not waived and not statement:
        raise InvalidInput("请填写陈述申辩意见，或声明放弃陈述申辩", {"statement": "必填（或选择放弃）"})
    return {"statement": "" if waived else statement, "statement_waived": waived}


@task_data("decide")
def decide_form(data: dict[str, Any]) -> dict[str, Any]:
    """违诺处理决定: confirm or drop the breach, with the reasons (how the statement was considered)."""
    decision = data.get("decision")
    if not isinstance(decision, str) or decision not in BREACH_DECISIONS:
        raise InvalidInput("请选择处理决定", {"decision": "请选择认定违诺或不予认定违诺"})
    reason = text_field(data.get("reason"), "reason", "理由", MAX_TEXT)
    if decision == "drop" and not reason:
        raise InvalidInput("不予认定违诺须说明理由", {"reason": "必填"})
    return {"breach_decision": decision, "breach_reason": reason}


def fulfilment_data(data: Any) -> dict[str, Any]:
    """The verify task and `POST /cases/{id}/breach` share this vocabulary (API.md)."""
    fulfilment = data.get("fulfilment") if isinstance(data, dict) else None
    if not isinstance(fulfilment, str) or fulfilment not in FULFILMENTS:
        raise InvalidInput("请选择履行状态", {"fulfilment": "请选择其中一项：" + "、".join(FULFILMENTS.values())})
    errors: dict[str, str] = {}
    unfulfilled = text_field(data.get("unfulfilled"), "unfulfilled", "未履行内容", MAX_TEXT, errors=errors)
    action = text_field(data.get("liability_action"), "liability_action", "违诺处理", MAX_TEXT, errors=errors)
    if errors:
        raise InvalidInput("履行情况不正确", errors)
    if fulfilment != "full" and not unfulfilled:
        raise InvalidInput("未全部履行的，须填写未履行内容", {"unfulfilled": "必填"})
    return {"fulfilment": fulfilment, "unfulfilled": unfulfilled, "liability_action": action}
