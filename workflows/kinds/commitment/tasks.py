"""What the applicant and the accepting department submit with each user task of
bpmn/commitment.bpmn, checked (`fulfilment_data` also checks `POST /cases/{id}/breach`)."""
from __future__ import annotations

from typing import Any

from workflows.core.errors import InvalidInput
from workflows.engine.registry import task_data
from workflows.kinds.commitment.vocabulary import FULFILMENTS
from workflows.kinds.common.filing import MAX_TEXT


@task_data("confirm")
def confirm_form(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("confirmed") is not True and data.get("confirmed") not in ("true", "on", "1"):
        raise InvalidInput("请确认并签署信用承诺书", {"confirmed": "须勾选确认"})
    signer = _text(data.get("signer"))
    if not signer:
        raise InvalidInput("请填写签署人姓名", {"signer": "必填"})
    return {"confirmed": True, "signer": signer[:100]}


@task_data("accept")
def accept_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择是否受理", {"decision": "可选：受理（accept）、不予受理（reject）"})
    reason = _text(data.get("reason"))
    if decision == "reject" and not reason:
        raise InvalidInput("不予受理须说明理由", {"reason": "必填"})
    return {"decision": decision, "reason": reason[:MAX_TEXT]}


@task_data("supply")
def supply_form(data: dict[str, Any]) -> dict[str, Any]:
    if not _text(data.get("supplied")):
        raise InvalidInput("请说明已补齐的材料", {"supplied": "必填"})
    return {"supplied": _text(data["supplied"])[:MAX_TEXT]}


@task_data("verify")
def verify_form(data: dict[str, Any]) -> dict[str, Any]:
    return fulfilment_data(data)


def fulfilment_data(data: Any) -> dict[str, Any]:
    """The verify task and `POST /cases/{id}/breach` share this vocabulary (API.md)."""
    if not isinstance(data, dict) or data.get("fulfilment") not in FULFILMENTS:
        raise InvalidInput("请选择履行状态", {"fulfilment": "可选：" + "、".join(FULFILMENTS.values())})
    unfulfilled, action = _text(data.get("unfulfilled")), _text(data.get("liability_action"))
    if data["fulfilment"] != "full" and not unfulfilled:
        raise InvalidInput("未全部履行的，须填写未履行内容", {"unfulfilled": "必填"})
    return {"fulfilment": data["fulfilment"], "unfulfilled": unfulfilled[:MAX_TEXT],
            "liability_action": action[:MAX_TEXT]}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
