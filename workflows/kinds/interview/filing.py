"""Warning interviews (失信提示约谈 / 警示约谈): starting one, and the forms of its tasks.

谁认定、谁约谈: only the department that designated the records (or a supervisor / the
credit office) may start and conduct the interview — refused here with a clear message.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.engine.task_data import register_form
from workflows.engine.models import Case
from workflows.records.models import CreditRecord
from workflows.warnings.models import EarlyWarning
from workflows.kinds.repair.filing import MAX_TEXT, _records_of, _summary
from workflows.core.identifiers import validate_subject_code

KIND = "interview"
KINDS = {"prompt": "提示约谈", "warning": "警示约谈"}
TOPICS = {"policy": "信用政策法规", "measures": "失信惩戒措施及其影响", "repair": "信用修复的途径和程序"}


def start_interview(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                    describe: Describe | None = None) -> Case:
    """From records (or a warning's evidence) of the actor's own department."""
    if not actor.has("department", "supervisor", "admin"):
        raise Forbidden("只有认定部门可以发起约谈")
    _, code = validate_subject_code(str(subject_code or ""))
    data = _interview_form(form)

    def prepare(session: Session) -> Opening:
        ids = data["record_ids"] or _warning_records(session, data.get("warning_id"), code, actor)
        records = _records_of(session, code, ids)
        _check_designator(actor, records)
        return Opening({"record_ids": [r.id for r in records], "record_summaries": [_summary(r) for r in records],
                        "subject_name": records[0].subject_name, "reschedule_count": 0},
                       records[0].department_code, f"{records[0].subject_name} {KINDS[data['interview_kind']]}")

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _check_designator(actor: Actor, records: list[CreditRecord]) -> None:
    if actor.has("supervisor", "admin"):
        return
    foreign = [r for r in records if r.department_code != actor.department_code]
    if foreign:
        names = "、".join(sorted({r.department_name for r in foreign}))
        raise Forbidden(f"谁认定、谁约谈：相关记录由{names}认定，应由该部门约谈", {"record_ids": "非本部门认定的记录"})


def _warning_records(session: Session, warning_id: Any, code: str, actor: Actor) -> list[int]:
    warning = session.get(EarlyWarning, int(warning_id)) if str(warning_id or "").isdigit() else None
    if warning is None or warning.subject_code != code:
        raise NotFound("预警不存在", {"warning_id": "请从预警或记录发起约谈"})
    ids = (warning.evidence or {}).get("record_ids", [])
    if not actor.has("supervisor", "admin"):
        ids = list(session.scalars(select(CreditRecord.id).where(
            CreditRecord.id.in_(ids), CreditRecord.department_code == actor.department_code)))
    if not ids:
        raise Forbidden("谁认定、谁约谈：该预警中没有本部门认定的记录")
    return ids


def _interview_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("约谈信息格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    ids = form.get("record_ids") or []
    if not isinstance(ids, list) or not all(str(i).isdigit() for i in ids) or not (ids or form.get("warning_id")):
        errors["record_ids"] = "请选择约谈涉及的信用记录"
    if form.get("interview_kind") not in KINDS:
        errors["interview_kind"] = "请选择约谈类型：提示约谈或警示约谈"
    scheduled = _moment(form.get("scheduled_at"), errors)
    if not _text(form.get("place")):
        errors["place"] = "请填写约谈地点或视频会议链接"
    officers = form.get("officers")
    officers = [o for o in officers if _text(o)] if isinstance(officers, list) else [o for o in [_text(officers)] if o]
    if not officers:
        errors["officers"] = "请填写约谈人员"
    if errors:
        raise InvalidInput("约谈信息不完整", errors)
    return {"record_ids": sorted({int(i) for i in ids}), "warning_id": form.get("warning_id"),
            "interview_kind": form["interview_kind"], "scheduled_at": scheduled, "place": _text(form["place"])[:300],
            "officers": [_text(o)[:100] for o in officers], "reason": _text(form.get("reason"))[:MAX_TEXT],
            "materials": [m for m in (form.get("materials") or []) if isinstance(m, str) and m.strip()]}


def _moment(value: Any, errors: dict[str, str]) -> str | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        errors["scheduled_at"] = "约谈时间格式应为 2026-10-12T09:30:00+08:00"
        return None
    if moment.tzinfo is None:
        errors["scheduled_at"] = "约谈时间须带时区，例如 +08:00"
        return None
    return moment.isoformat()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@register_form(KIND, "conduct")
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


@register_form(KIND, "follow_up")
def follow_up_form(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("rectified"), bool):
        raise InvalidInput("请说明是否整改到位", {"rectified": "是或否"})
    return {"rectified": data["rectified"], "note": _text(data.get("note"))[:MAX_TEXT]}
