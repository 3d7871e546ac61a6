"""Credit commitments (信用承诺 → 践诺): filing and the forms of the flow's tasks.

The flow is `bpmn/commitment.bpmn`; service tasks are in `actions/commitment.py`. A
department may file on the applicant's behalf during an approval (then it is also the
accepting department).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from workflows.core import limits
from workflows.core.clock import to_local
from workflows.core.date_rules import from_today, not_later_than, refuse_dates
from workflows.core.errors import InvalidInput, NotFound
from workflows.core.limits import choice, day_field, text_field
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
    data = _commitment_form(_own_department(actor, form))
    _check_dates(data, to_local(engine.clock.now()).date())

    def prepare(session: Session) -> Opening:
        subject, department = _parties(session, code, data["department_code"])
        title = f"{subject.name} {TYPES[data['commitment_type']]}承诺（{data['matter'][:40]}）"
        return Opening({"subject_name": subject.name, "subject_category": subject.category,
                        "department_name": department.name, "filed_by": actor.username,
                        "origin": "filing"},
                       department.code, title[:300])

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _own_department(actor: Actor, form: Any) -> Any:
    """A department officer filing for a party (during an approval) files with its own department
    as the accepting one: the case's department decides the breach (DOMAIN.md §H)."""
    if not isinstance(form, dict) or not actor.has("department") or actor.has("admin") or not actor.department_code:
        return form
    named = form.get("department_code")
    if named in (None, ""):
        return {**form, "department_code": actor.department_code}
    if named != actor.department_code:
        raise InvalidInput("部门工作人员只能代为作出由本部门受理的承诺",
                           {"department_code": f"应为本部门（{actor.department_code}）"})
    return form


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
    kind = choice(form.get("commitment_type"), "commitment_type", "承诺类型", TYPES, errors=errors)
    matter = text_field(form.get("matter"), "matter", "承诺事由", limits.NOTE, required=True, errors=errors)
    content = text_field(form.get("content"), "content", "承诺内容", MAX_TEXT, errors=errors)
    liability = text_field(form.get("liability"), "liability", "违诺责任", MAX_TEXT, required=True, errors=errors)
    disclosure = choice(form.get("disclosure"), "disclosure", "公开类型", DISCLOSURES, errors=errors)
    department = text_field(form.get("department_code"), "department_code", "受理单位", limits.CODE, errors=errors)
    if not department:
        errors.setdefault("department_code", "请选择受理单位")
    valid_until = day_field(form.get("valid_until"), "valid_until", "有效期", errors=errors)
    verify_on = day_field(form.get("verify_on"), "verify_on", "核查日期", errors=errors)
    materials = text_field(form.get("deficiency_materials"), "deficiency_materials", "容缺材料", MAX_TEXT,
                           errors=errors)
    if kind == "deficiency_acceptance" and not materials and "deficiency_materials" not in errors:
        errors["deficiency_materials"] = "容缺受理须列明容缺材料"
    if errors:
        raise InvalidInput("信用承诺不完整", errors)
    return {"commitment_type": kind, "matter": matter, "content": content, "liability": liability,
            "disclosure": disclosure, "department_code": department,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "verify_on": verify_on.isoformat() if verify_on else None, "deficiency_materials": materials}


def _check_dates(data: dict[str, Any], today: date) -> None:
    """A commitment runs from today: it cannot be valid until, or be verified on, a day gone,
    nor be verified after it has lapsed."""
    errors: dict[str, str] = {}
    valid_until, verify_on = (date.fromisoformat(data[k]) if data[k] else None for k in ("valid_until", "verify_on"))
    from_today(valid_until, today, "valid_until", "有效期", errors)
    from_today(verify_on, today, "verify_on", "核查日期", errors)
    not_later_than(verify_on, valid_until, "verify_on", "核查日期", "有效期", errors)
    refuse_dates("承诺的日期不正确", errors)


def commitment_of_case(session: Session, case_id: int) -> Commitment | None:
    from sqlalchemy import select
    return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).first()
