"""Objections (异议): filing, and the forms of the first review and the verification.

The flow is `bpmn/objection.bpmn`; its service tasks are in `actions/objection.py`. Filing
and the suspension of the records happen in one transaction (the first service task runs
inside `start_case`), so either both happen or neither does.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.core.errors import InvalidInput
from workflows.engine.task_data import register_form
from workflows.engine.models import Case
from workflows.records.models import CreditRecord
from workflows.kinds.repair.filing import MAX_TEXT, _records_of, _subject, _summary

KIND = "objection"
TARGETS = {"content": "信息内容", "period": "公示期限", "repair_result": "信用修复结果"}
OUTCOMES = ("correct", "revoke", "uphold")
CORRECTABLE = ("decision_no", "decision_date", "severity", "category", "facts", "basis", "content",
               "fine_amount", "department_name", "subject_name")


def file_objection(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                   describe: Describe | None = None) -> Case:
    """Open an objection against records of one subject (the applicant, or staff for a walk-in)."""
    code = _subject(actor, subject_code)
    data = _objection_form(form)

    def prepare(session: Session) -> Opening:
        records = _records_of(session, code, data["record_ids"])
        title = f"{records[0].subject_name} 异议（{records[0].decision_no}）"
        return Opening({"record_summaries": [_summary(r) for r in records], "subject_name": records[0].subject_name,
                        "filed_by": actor.username}, records[0].department_code, title[:300])

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _objection_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("异议申请格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    ids = form.get("record_ids")
    if not isinstance(ids, list) or not ids or not all(str(i).isdigit() for i in ids):
        errors["record_ids"] = "请选择提出异议的信用记录"
    if form.get("target") not in TARGETS:
        errors["target"] = "请选择异议对象：信息内容、公示期限或信用修复结果"
    claim = form.get("claim")
    if not isinstance(claim, str) or not claim.strip():
        errors["claim"] = "请填写异议请求和理由"
    elif len(claim) > MAX_TEXT:
        errors["claim"] = f"异议请求不超过{MAX_TEXT}字"
    evidence = form.get("evidence", "")
    if not isinstance(evidence, str) or len(evidence) > MAX_TEXT:
        errors["evidence"] = "证据说明应为文字"
    if errors:
        raise InvalidInput("异议申请不完整", errors)
    return {"record_ids": sorted({int(i) for i in ids}), "target": form["target"], "claim": claim.strip(),
            "evidence": evidence.strip()}


@register_form(KIND, "first_review")
def first_review_form(data: dict[str, Any]) -> dict[str, Any]:
    decision = data.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择是否受理", {"decision": "可选：受理（accept）、不予受理（reject）"})
    reason = data.get("reason").strip() if isinstance(data.get("reason"), str) else ""
    if decision == "reject" and not reason:
        raise InvalidInput("不予受理须说明理由", {"reason": "例如：重复提出、不属于异议范围"})
    return {"decision": decision, "reason": reason[:MAX_TEXT]}


@register_form(KIND, "verify")
def verify_form(data: dict[str, Any]) -> dict[str, Any]:
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput("请选择核实结论", {"outcome": "可选：更正、撤销、维持"})
    reason = data.get("reason").strip() if isinstance(data.get("reason"), str) else ""
    if not reason:
        raise InvalidInput("请填写核实情况及理由", {"reason": "必填"})
    corrections = data.get("corrections") or {}
    if outcome == "correct":
        corrections = _corrections(corrections)
    return {"outcome": outcome, "reason": reason[:MAX_TEXT], "corrections": corrections if outcome == "correct" else {}}


def _corrections(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise InvalidInput("更正时须列出更正的字段和新内容", {"corrections": "例如 {\"content\": \"罚款人民币二万元\"}"})
    unknown = [k for k in value if k not in CORRECTABLE]
    if unknown:
        raise InvalidInput("不能更正这些字段", {"corrections": f"不可更正：{', '.join(unknown)}"})
    return {k: v for k, v in value.items()}


def objection_records(session: Session, case: Case) -> list[CreditRecord]:
    from sqlalchemy import select

    from workflows.records.models import CaseRecord
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == case.id).order_by(CreditRecord.id))
    return list(session.scalars(query))
