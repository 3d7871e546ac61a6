"""Service tasks of the interview itself (bpmn/interview.bpmn): notice, rescheduling, record,
absence, follow-up. What follows a failed interview — the key-attention listing with due
process — is in listing.py.

谁认定、谁约谈: every letter goes out in the name of the case's department, which filing.py makes
the department that designated every record of the case.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from letters.config import credit_office_code
from workflows import records as record_service
from workflows.archive.issuers import issues_in_own_name
from workflows.core.clock import to_local
from workflows.core.errors import RuleViolation
from workflows.core.models.records import CreditRecord
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.common.steps import (
    close,
    deciding_organ,
    issue,
    legal_basis,
    letter_records,
    notify_applicant,
    share,
    subject_party,
)
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS, TOPICS
from workflows.people.names import display_names


@action("interview_schedule")
def schedule(ctx: StepContext) -> dict[str, Any]:
    letter = _notice(ctx)
    ctx.record("interview_scheduled", f"{INTERVIEW_KINDS[ctx.task.data['interview_kind']]}定于 {_shown(ctx.task.data['scheduled_at'])}",
               after={"scheduled_at": ctx.task.data["scheduled_at"], "place": ctx.task.data["place"]})
    notify_applicant(ctx, f"请于 {_shown(ctx.task.data['scheduled_at'])} 到 {ctx.task.data['place']} 参加约谈。")
    return {"letter": letter}


@action("interview_reschedule")
def reschedule(ctx: StepContext) -> dict[str, Any]:
    """How often an interview may be moved on request is a rule (DMN `interview_rules`)."""
    data = ctx.task.data
    request = data.get("reschedule_request") or {}
    allowed = interview_rules(ctx)["max_reschedules"]
    if data.get("reschedule_count", 0) >= allowed:
        raise RuleViolation("约谈只能改期一次" if allowed == 1 else f"约谈最多改期{allowed}次", {"scheduled_at": "已达改期次数上限"})
    try:
        new_time = datetime.fromisoformat(str(request.get("scheduled_at")))
    except ValueError:
        raise RuleViolation("改期时间格式不正确", {"scheduled_at": "例如 2026-10-15T09:30:00+08:00"}) from None
    before = {"scheduled_at": data["scheduled_at"], "place": data["place"]}
    data.update(scheduled_at=new_time.isoformat(), reschedule_count=data.get("reschedule_count", 0) + 1,
                place=request.get("place") or data["place"])
    letter = _notice(ctx)
    # the calendar and the portal read the schedule from this event: it carries the details
    ctx.record("interview_rescheduled", f"改期至 {_shown(data['scheduled_at'])}：{request.get('reason', '')}",
               before=before, after={"scheduled_at": data["scheduled_at"], "place": data["place"],
                                     "reason": str(request.get("reason") or "")})
    return {"letter": letter}


@action("interview_record")
def record(ctx: StepContext) -> dict[str, Any]:
    """约谈记录: a letter, an interview-record entry in the subject's credit record, shared."""
    data, now = ctx.task.data, ctx.now()
    due = ctx.deadline(now, data["rectification_due_days"])
    letter = _record_letter(ctx, attended=True, due=due.date().isoformat())
    entry = _credit_entry(ctx, letter["number"], category="interview", content=f"约谈记录：{data['rectification_plan']}")
    data["rectification_due_at"] = due.isoformat()
    _share(ctx, "interview_recorded", entry, letter["number"])
    notify_applicant(ctx, f"请于 {to_local(due):%Y-%m-%d} 前完成整改：{data['rectification_plan']}")
    return {"letter": letter, "record_id": entry.id}


@action("interview_absent")
def absent(ctx: StepContext) -> dict[str, Any]:
    """The absence goes on the 约谈记录 with the officer's finding. Only an unjustified refusal
    enters the credit record, bars repair until a day set by DMN (DOMAIN.md §I) and escalates."""
    data = ctx.task.data
    justified = data.get("absence_justified") is True
    letter = _record_letter(ctx, attended=False)
    data["outcome"] = "absent_justified" if justified else "absent"  # flows of older spec sets end here
    if justified:
        ctx.record("absence_justified", f"被约谈方有正当理由未到场：{data.get('absence_note', '')}",
                   after={"justified": True, "note": data.get("absence_note", "")})
        return {"letter": letter, "justified": True}
    until = _months_later(to_local(ctx.now()).date(), interview_rules(ctx)["repair_bar_months"])
    entry = _credit_entry(ctx, letter["number"], category="refused", content="无正当理由拒不参加失信约谈")
    entry.bars_repair_until = until
    _share(ctx, "interview_refused", entry, letter["number"])
    data["escalation_reason"] = "absent"
    ctx.record("absence_unjustified", f"被约谈方无正当理由拒不到场，{until.isoformat()} 前不予信用修复",
               after={"justified": False, "record_id": entry.id, "bars_repair_until": until.isoformat()})
    notify_applicant(ctx, f"你单位无正当理由未参加约谈，已记入信用记录；{until.isoformat()} 前不得申请信用修复。")
    return {"letter": letter, "record_id": entry.id, "bars_repair_until": until.isoformat()}


@action("interview_excused")
def excused(ctx: StepContext) -> dict[str, Any]:
    close(ctx, "absent_justified", "被约谈方有正当理由未到场，约谈办结（不影响信用修复）")
    notify_applicant(ctx, "你单位未参加约谈的理由已被认定为正当理由，不影响信用修复；认定部门可另行安排约谈。")
    return {"outcome": "absent_justified"}


@action("interview_rectified")
def rectified(ctx: StepContext) -> dict[str, Any]:
    close(ctx, "rectified", "已按期整改，约谈办结")
    notify_applicant(ctx, "您已按期完成整改。相关失信信息公示期满最短期限后，可通过“申请人服务”申请信用修复。")
    return {"outcome": "rectified"}


@action("interview_not_rectified")
def not_rectified(ctx: StepContext) -> dict[str, Any]:
    ctx.task.data["escalation_reason"] = "not_rectified"
    ctx.record("not_rectified", "整改期限届满，经跟踪未整改到位", after={"note": ctx.task.data.get("note", "")})
    return {"escalation_reason": "not_rectified"}


# -- shared with listing.py ------------------------------------------------------------------

def interview_rules(ctx: StepContext) -> dict[str, Any]:
    """Reschedules, the repair bar and removal conditions in force today (DMN `interview_rules`)."""
    return ctx.rules.decide("interview_rules", decision_date=to_local(ctx.now()).date().isoformat())


def designator(ctx: StepContext, letter_type: str) -> dict[str, Any]:
    """The deciding organ's code and, when the letter cannot go out under that department's own
    header (no issuer details yet: the credit office's configured issuer stands in), its name,
    so the text says who decided and who only sends (`designator`)."""
    code = deciding_organ(ctx, letter_type)
    if code is None or code.strip().upper() == credit_office_code() or issues_in_own_name(ctx.session, code):
        return {"decided_by": code, "designator": None}
    return {"decided_by": code, "designator": ctx.task.data["record_summaries"][0]["department"]}


def _notice(ctx: StepContext) -> dict:
    data, organ = ctx.task.data, designator(ctx, "interview_notice")
    return issue(ctx, "interview_notice", {
        "subject": subject_party(ctx), "interview_kind": data["interview_kind"], "scheduled_at": data["scheduled_at"],
        "place": data["place"], "basis": legal_basis(ctx, "interview"), "records": letter_records(ctx),
        "reason": data.get("reason") or "你单位存在下列失信行为，尚未纠正", "materials": data.get("materials") or None,
        "designator": organ["designator"]}, decided_by=organ["decided_by"])


def _record_letter(ctx: StepContext, *, attended: bool, due: str | None = None) -> dict:
    data, organ = ctx.task.data, designator(ctx, "interview_record")
    context = {"subject": subject_party(ctx), "interview_kind": data["interview_kind"], "held_at": to_local(ctx.now()).isoformat(),
               "place": data["place"], "officers": list(data["officers"]),
               "recorder": display_names(ctx.session, [ctx.actor.username])[ctx.actor.username],
               "reason": data.get("reason") or "存在失信行为，尚未纠正", "attended": attended,
               "designator": organ["designator"]}
    if attended:
        context.update(attendees=[data.get("attendees") or "法定代表人"], topics_covered=list(TOPICS),
                       statement=data.get("statement") or "接受约谈，承诺按期整改", rectification_plan=data["rectification_plan"],
                       rectification_due_date=due)
    else:
        context["absence_justified"] = data.get("absence_justified") is True
        context["absence_note"] = data.get("absence_note") or None
    return issue(ctx, "interview_record", context, decided_by=organ["decided_by"])


def _credit_entry(ctx: StepContext, number: str, *, category: str, content: str) -> CreditRecord:
    """The interview record joins the subject's credit record (kind interview_record, no punishment)."""
    first = ctx.task.data["record_summaries"][0]
    return record_service.create_record(ctx.session, ctx.rules, {
        "subject_code": ctx.case.subject_code, "subject_name": ctx.task.data["subject_name"], "kind": "interview_record",
        "severity": "minor", "category": category, "decision_no": number,
        "decision_date": to_local(ctx.now()).date().isoformat(), "department_code": ctx.case.department_code,
        "department_name": first["department"], "facts": ctx.task.data.get("reason") or "失信约谈",
        "basis": legal_basis(ctx, "interview"), "content": content, "measures": []}, ctx.actor.username, ctx.now(), source="system")


def _share(ctx: StepContext, kind: str, entry: CreditRecord, number: str) -> None:
    share(ctx, kind, {"record_id": entry.id, "letter_number": number})


def _shown(iso: str) -> str:
    return to_local(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")


def _months_later(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + int(months)
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
