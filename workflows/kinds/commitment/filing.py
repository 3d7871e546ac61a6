"""Credit commitments (信用承诺 → 践诺): filing and the forms of the flow's tasks.

The flow is `bpmn/commitment.bpmn`; service tasks are in `actions/commitment.py`. A
department may file on the applicant's behalf during an approval (then it is also the
accepting department).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.kinds.commitment.templates import TYPES
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.core.errors import InvalidInput, NotFound
from workflows.engine.task_data import register_form
from workflows.engine.models import Case
from workflows.kinds.commitment.models import Commitment
from workflows.people.models import Department, Subject
from workflows.kinds.repair.filing import MAX_TEXT, _subject

KIND = "commitment"
DISCLOSURES = {"public": "可向社会公开", "restricted": "特定范围内公开", "private": "不可公开"}
FULFILMENTS = {"full": "全部履行", "partial": "部分履行", "none": "全部未履行", "false": "虚假承诺"}


def file_commitment(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                    describe: Describe | None = None) -> Case:
    code = _subject(actor, subject_code)
    data = _commitment_form(form)

    def prepare(session: Session) -> Opening:
        subject, department = _parties(session, code, data["department_code"])
        title = f"{subject.name} {TYPES[data['commitment_type']]}承诺（{data['matter'][:40]}）"
        return Opening({"subject_name": subject.name, "subject_category": subject.category,
                        "department_name": department.name, "filed_by": actor.username},
                       department.code, title[:300])

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _parties(session: Session, code: str, department_code: str) -> tuple[Subject, Department]:
    subject, department = session.get(Subject, code), session.get(Department, department_code)
    if subject is None:
        raise NotFound("主体不存在，请先注册", {"subject_code": "未登记的主体"})
    if department is None:
        raise InvalidInput("受理单位不存在", {"department_code": "请选择受理单位"})
    return subject, department


def _commitment_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("承诺内容格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    if form.get("commitment_type") not in TYPES:
        errors["commitment_type"] = "请选择承诺类型：" + "、".join(TYPES.values())
    for key, label in (("matter", "承诺事由"), ("liability", "违诺责任")):
        if not _text(form.get(key)):
            errors[key] = f"请填写{label}"
    if form.get("disclosure") not in DISCLOSURES:
        errors["disclosure"] = "请选择公开类型"
    if not _text(form.get("department_code")):
        errors["department_code"] = "请选择受理单位"
    valid_until = _date(form.get("valid_until"), "valid_until", errors)
    verify_on = _date(form.get("verify_on"), "verify_on", errors)
    if form.get("commitment_type") == "deficiency_acceptance" and not _text(form.get("deficiency_materials")):
        errors["deficiency_materials"] = "容缺受理须列明容缺材料"
    if errors:
        raise InvalidInput("信用承诺不完整", errors)
    return {"commitment_type": form["commitment_type"], "matter": _text(form["matter"])[:500],
            "content": _text(form.get("content"))[:MAX_TEXT], "liability": _text(form["liability"])[:MAX_TEXT],
            "disclosure": form["disclosure"], "department_code": _text(form["department_code"]),
            "valid_until": valid_until, "verify_on": verify_on,
            "deficiency_materials": _text(form.get("deficiency_materials"))[:MAX_TEXT]}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any, key: str, errors: dict[str, str]) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        errors[key] = "日期格式应为 2026-12-31"
        return None


@register_form(KIND, "confirm")
def confirm_form(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("confirmed") is not True and data.get("confirmed") not in ("true", "on", "1"):
        raise InvalidInput("请确认并签署信用承诺书", {"confirmed": "须勾选确认"})
    signer = _text(data.get("signer"))
    if not signer:
        raise InvalidInput("请填写签署人姓名", {"signer": "必填"})
    return {"confirmed": True, "signer": signer[:100]}


@register_form(KIND, "accept")
def accept_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择是否受理", {"decision": "可选：受理（accept）、不予受理（reject）"})
    reason = _text(data.get("reason"))
    if decision == "reject" and not reason:
        raise InvalidInput("不予受理须说明理由", {"reason": "必填"})
    return {"decision": decision, "reason": reason[:MAX_TEXT]}


@register_form(KIND, "supply")
def supply_form(data: dict[str, Any]) -> dict[str, Any]:
    if not _text(data.get("supplied")):
        raise InvalidInput("请说明已补齐的材料", {"supplied": "必填"})
    return {"supplied": _text(data["supplied"])[:MAX_TEXT]}


@register_form(KIND, "verify")
def verify_form(data: dict[str, Any]) -> dict[str, Any]:
    return fulfilment_form(data)


def fulfilment_form(data: Any) -> dict[str, Any]:
    """The verify task and `POST /cases/{id}/breach` share this vocabulary (API.md)."""
    if not isinstance(data, dict) or data.get("fulfilment") not in FULFILMENTS:
        raise InvalidInput("请选择履行状态", {"fulfilment": "可选：" + "、".join(FULFILMENTS.values())})
    unfulfilled, action = _text(data.get("unfulfilled")), _text(data.get("liability_action"))
    if data["fulfilment"] != "full" and not unfulfilled:
        raise InvalidInput("未全部履行的，须填写未履行内容", {"unfulfilled": "必填"})
    return {"fulfilment": data["fulfilment"], "unfulfilled": unfulfilled[:MAX_TEXT],
            "liability_action": action[:MAX_TEXT]}


def commitment_of_case(session: Session, case_id: int) -> Commitment | None:
    from sqlalchemy import select
    return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).first()
