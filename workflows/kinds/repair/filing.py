"""Credit repair (信用修复): filing a request, and the forms of its tasks.

The flow itself is `bpmn/repair.bpmn`; its service tasks are in `actions/repair.py`.
Filing checks what a form can check (who, which records, the commitment) and leaves the
legal eligibility rules to the flow's DMN, so a refusal is a letter, not an HTTP error.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.kinds.repair.commitment_text import REPAIR_COMMITMENT_VERSION, repair_commitment_text
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.engine.task_data import register_form
from workflows.core.identifiers import validate_subject_code
from workflows.engine.models import Case
from workflows.people.models import Subject
from workflows.records.models import CreditRecord

KIND = "repair"
DECISIONS = ("approve", "reject", "supplement")
MAX_TEXT = 4000


def file_repair(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                describe: Describe | None = None) -> Case:
    """Open a repair case for records of one subject (the applicant's own, or by staff)."""
    code = _subject(actor, subject_code)
    data = _repair_form(form)

    def prepare(session: Session) -> Opening:
        records, subject = _filed_rows(session, code, data["record_ids"])
        title = f"{records[0].subject_name} 信用修复（{records[0].decision_no}）"
        return Opening({"commitment_text": repair_commitment_text(), "commitment_version": REPAIR_COMMITMENT_VERSION,
                        "record_summaries": [_summary(r) for r in records], "subject_name": records[0].subject_name},
                       records[0].department_code, title[:300], loaded=[*records, subject])

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _subject(actor: Actor, subject_code: Any) -> str:
    if not isinstance(subject_code, str) or not subject_code.strip():
        raise InvalidInput("请填写主体代码", {"subject_code": "必填"})
    _, code = validate_subject_code(subject_code)
    if actor.has("applicant") and not actor.is_staff and actor.subject_code != code:
        raise Forbidden("只能为本主体申请信用修复")
    return code


def _repair_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("申请内容格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    ids = form.get("record_ids")
    if not isinstance(ids, list) or not ids or not all(_is_id(i) for i in ids):
        errors["record_ids"] = "请选择要修复的信用记录"
    for key, label in (("reason", "申请理由"), ("rectification", "整改情况说明")):
        value = form.get(key)
        if not isinstance(value, str) or not value.strip():
            errors[key] = f"请填写{label}"
        elif len(value) > MAX_TEXT:
            errors[key] = f"{label}不超过{MAX_TEXT}字"
    if form.get("commitment_accepted") is not True:
        errors["commitment_accepted"] = "须阅读并同意信用承诺书"
    certificate = form.get("training_certificate_no")
    if certificate is not None and not isinstance(certificate, str):
        errors["training_certificate_no"] = "培训证明编号格式不正确"
    if errors:
        raise InvalidInput("信用修复申请不完整", errors)
    return {"record_ids": sorted({int(i) for i in ids}), "reason": form["reason"].strip(),
            "rectification": form["rectification"].strip(), "commitment_accepted": True,
            "training_certificate_no": (certificate or "").strip() or None}


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0 or (
        isinstance(value, str) and value.isdigit())


def _filed_rows(session: Session, code: str, ids: list[int]) -> tuple[list[CreditRecord], Subject | None]:
    """A filing's records, locked, and their subject in the same statement (the case's
    description names it): both stay in the session for the step that follows."""
    rows = session.execute(FILED_ROWS, {"ids": ids}).all()
    _check_records(code, ids, [record for record, _subject in rows])
    return [record for record, _subject in rows], (rows[0][1] if rows else None)


FILED_ROWS = (select(CreditRecord, Subject).outerjoin(Subject, Subject.code == CreditRecord.subject_code)
              .where(CreditRecord.id.in_(bindparam("ids", expanding=True))).order_by(CreditRecord.id)
              .with_for_update(of=CreditRecord))  # built once: filing is a hot path


def _records_of(session: Session, code: str, ids: list[int]) -> list[CreditRecord]:
    """The records, checked to exist and to belong to `code`."""
    records = list(session.scalars(select(CreditRecord).where(CreditRecord.id.in_(ids))))
    _check_records(code, ids, records)
    return sorted(records, key=lambda r: r.id)


def _check_records(code: str, ids: list[int], records: list[CreditRecord]) -> None:
    found = {r.id for r in records}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"信用记录不存在：{', '.join(map(str, missing))}", {"record_ids": "记录不存在"})
    foreign = [r.id for r in records if r.subject_code != code]
    if foreign:
        raise InvalidInput("所选记录不属于该主体", {"record_ids": f"记录 {', '.join(map(str, foreign))} 不属于该主体"})


def _summary(record: CreditRecord) -> dict[str, Any]:
    return {"id": record.id, "decision_no": record.decision_no, "kind": record.kind,
            "severity": record.severity, "department": record.department_name,
            "decision_date": record.decision_date.isoformat(), "content": record.content}


@register_form(KIND, "review")
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


@register_form(KIND, "provide_certificate")
def certificate_form(data: dict[str, Any]) -> dict[str, Any]:
    number = data.get("training_certificate_no")
    if not isinstance(number, str) or not number.strip():
        raise InvalidInput("请填写信用修复培训证明编号", {"training_certificate_no": "必填"})
    return {"training_certificate_no": number.strip()[:100]}


@register_form(KIND, "supplement")
def supplement_form(data: dict[str, Any]) -> dict[str, Any]:
    rectification = data.get("rectification")
    if not isinstance(rectification, str) or not rectification.strip():
        raise InvalidInput("请说明补正情况", {"rectification": "必填"})
    note = data.get("note") if isinstance(data.get("note"), str) else ""
    return {"rectification": rectification.strip()[:MAX_TEXT], "supplement_note": note.strip()[:MAX_TEXT]}
