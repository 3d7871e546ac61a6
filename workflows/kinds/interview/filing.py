"""Warning interviews (失信提示约谈 / 警示约谈): starting one, and the forms of its tasks.

谁认定、谁约谈: only the department that designated the records (or a supervisor / the
credit office) may start and conduct the interview, on records of that one department (the case's
department, in whose name every letter of the case goes out) — refused here with a clear message.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core import limits
from workflows.core.date_rules import after_now, refuse_dates
from workflows.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from workflows.core.identifiers import validate_subject_code
from workflows.core.limits import (
    choice,
    id_list,
    id_value,
    moment_field,
    text_field,
    text_list,
)
from workflows.core.models.cases import Case
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.kinds.common.filing import MAX_TEXT, record_summary, records_of
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS, KIND
from workflows.people.access import Actor
from workflows.people.permissions import allows, require, unscoped


def file_interview(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                    describe: Describe | None = None) -> Case:
    """From records (or a warning's evidence) of the actor's own department."""
    require(actor, "may_schedule_interview", "只有认定部门可以发起约谈")
    _, code = validate_subject_code(str(subject_code or ""))
    data = _interview_form(form)
    dates: dict[str, str] = {}
    after_now(datetime.fromisoformat(data["scheduled_at"]), engine.clock.now(), "scheduled_at", "约谈时间", dates)
    refuse_dates("约谈时间不正确", dates)

    def prepare(session: Session) -> Opening:
        ids = data["record_ids"] or _warning_records(session, data.get("warning_id"), code, actor)
        records = records_of(session, code, ids)
        _check_one_designator(records)
        _check_designator(actor, records)
        return Opening({"record_ids": [r.id for r in records], "record_summaries": [record_summary(r) for r in records],
                        "subject_name": records[0].subject_name, "reschedule_count": 0},
                       records[0].department_code, f"{records[0].subject_name} {INTERVIEW_KINDS[data['interview_kind']]}")

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _check_designator(actor: Actor, records: list[CreditRecord]) -> None:
    foreign = [r for r in records
               if not allows(actor, "may_schedule_interview", department_code=r.department_code)]
    if foreign:
        names = "、".join(sorted({r.department_name for r in foreign}))
        raise Forbidden(f"谁认定、谁约谈：相关记录由{names}认定，应由该部门约谈", {"record_ids": "非本部门认定的记录"})


def _check_one_designator(records: list[CreditRecord]) -> None:
    """One interview, one deciding organ: its letters go out in the name of the department that
    designated every record (the case's department), so records of several departments are never
    mixed — each department interviews on its own records."""
    departments = sorted({(r.department_code, r.department_name) for r in records})
    if len(departments) > 1:
        names = "、".join(name for _, name in departments)
        raise RuleViolation(f"谁认定、谁约谈：所选记录分别由{names}认定，应由各认定部门分别约谈，请只选择同一部门认定的记录",
                            {"record_ids": "只能选择同一认定部门的记录"})


def _warning_records(session: Session, warning_id: Any, code: str, actor: Actor) -> list[int]:
    warning = session.get(EarlyWarning, warning_id) if warning_id else None
    if warning is None or warning.subject_code != code:
        raise NotFound("预警不存在", {"warning_id": "请从预警或记录发起约谈"})
    ids = (warning.evidence or {}).get("record_ids", [])
    if not unscoped(actor, "may_schedule_interview"):
        ids = list(session.scalars(select(CreditRecord.id).where(
            CreditRecord.id.in_(ids), CreditRecord.department_code == actor.department_code)))
    if not ids:
        raise Forbidden("谁认定、谁约谈：该预警中没有本部门认定的记录")
    return ids


def _interview_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("约谈信息格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    warning_id = form.get("warning_id")
    if warning_id not in (None, ""):
        warning_id = id_value(warning_id, "warning_id", "预警编号", errors=errors)
    ids = id_list(form.get("record_ids"), "record_ids", "约谈涉及的信用记录", required=not warning_id, errors=errors)
    kind = choice(form.get("interview_kind"), "interview_kind", "约谈类型", INTERVIEW_KINDS, errors=errors)
    scheduled = moment_field(form.get("scheduled_at"), "scheduled_at", "约谈时间", errors=errors)
    place = text_field(form.get("place"), "place", "约谈地点或视频会议链接", limits.LINE, required=True, errors=errors)
    officers = text_list(form.get("officers"), "officers", "约谈人员", limits.ITEMS, limits.NAME, required=True,
                         errors=errors)
    reason = text_field(form.get("reason"), "reason", "约谈事由", MAX_TEXT, errors=errors)
    materials = text_list(form.get("materials"), "materials", "需携带的材料", limits.ITEMS, limits.LINE, errors=errors)
    if errors:
        raise InvalidInput("约谈信息不完整", errors)
    return {"record_ids": ids, "warning_id": warning_id or None, "interview_kind": kind,
            "scheduled_at": scheduled.isoformat() if scheduled else None, "place": place, "officers": officers,
            "reason": reason, "materials": materials}
