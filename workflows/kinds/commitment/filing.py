"""Credit commitments (信用承诺 → 践诺): filing and the forms of the flow's tasks.

The flow is `bpmn/commitment.bpmn`; service tasks are in `actions/commitment.py`. A
department may file on the applicant's behalf during an approval (then it is also the
accepting department).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput, NotFound
from workflows.core.models.cases import Case
from workflows.core.models.commitments import Commitment
from workflows.core.models.people import Department, Subject
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.kinds.commitment.templates import TYPES
from workflows.kinds.commitment.vocabulary import DISCLOSURES, KIND
from workflows.kinds.common.filing import MAX_TEXT, checked_subject
from workflows.people.access import Actor


def file_commitment(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                    describe: Describe | None = None) -> Case:
    code = checked_subject(actor, subject_code, "只能为本主体作出承诺")
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


def commitment_of_case(session: Session, case_id: int) -> Commitment | None:
    from sqlalchemy import select
    return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).first()
