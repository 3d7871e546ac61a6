"""Service tasks of the interview flow (bpmn/interview.bpmn)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from workflows import records as record_service
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

MAX_RESCHEDULES = 1  # rescheduling once on request (configurable here)


@action("interview_schedule")
def schedule(ctx: StepContext) -> dict[str, Any]:
    letter = _notice(ctx)
    ctx.record("interview_scheduled", f"{INTERVIEW_KINDS[ctx.task.data['interview_kind']]}定于 {_shown(ctx.task.data['scheduled_at'])}",
               after={"scheduled_at": ctx.task.data["scheduled_at"], "place": ctx.task.data["place"]})
    notify_applicant(ctx, f"请于 {_shown(ctx.task.data['scheduled_at'])} 到 {ctx.task.data['place']} 参加约谈。")
    return {"letter": letter}


@action("interview_reschedule")
def reschedule(ctx: StepContext) -> dict[str, Any]:
    data = ctx.task.data
    request = data.get("reschedule_request") or {}
    if data.get("reschedule_count", 0) >= MAX_RESCHEDULES:
        raise RuleViolation("约谈只能改期一次", {"scheduled_at": "已改期过"})
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
    """Refusing to attend is recorded (it bars repair, DOMAIN.md §B) and escalates by DMN."""
    letter = _record_letter(ctx, attended=False)
    entry = _credit_entry(ctx, letter["number"], category="refused", content="拒不参加失信约谈")
    _share(ctx, "interview_refused", entry, letter["number"])
    listed = _escalate(ctx, "absent")
    close(ctx, "absent", "被约谈方未到场，已记录并升级处理")
    return {"letter": letter, "record_id": entry.id, "key_attention_record": listed}


@action("interview_rectified")
def rectified(ctx: StepContext) -> dict[str, Any]:
    close(ctx, "rectified", "已按期整改，约谈办结")
    notify_applicant(ctx, "您已按期完成整改。相关失信信息公示期满最短期限后，可通过“申请人服务”申请信用修复。")
    return {"outcome": "rectified"}


@action("interview_escalate")
def escalate(ctx: StepContext) -> dict[str, Any]:
    listed = _escalate(ctx, "not_rectified")
    close(ctx, "escalated", "逾期未整改，已列入重点关注名单")
    return {"key_attention_record": listed}


# -- helpers ---------------------------------------------------------------------------------

def _notice(ctx: StepContext) -> dict:
    data = ctx.task.data
    return issue(ctx, "interview_notice", {
        "subject": subject_party(ctx), "interview_kind": data["interview_kind"], "scheduled_at": data["scheduled_at"],
        "place": data["place"], "basis": legal_basis(ctx, "interview"), "records": letter_records(ctx),
        "reason": data.get("reason") or "你单位存在下列失信行为，尚未纠正", "materials": data.get("materials") or None},
        decided_by=deciding_organ(ctx, "interview_notice"))


def _record_letter(ctx: StepContext, *, attended: bool, due: str | None = None) -> dict:
    data = ctx.task.data
    context = {"subject": subject_party(ctx), "interview_kind": data["interview_kind"], "held_at": to_local(ctx.now()).isoformat(),
               "place": data["place"], "officers": list(data["officers"]),
               "recorder": display_names(ctx.session, [ctx.actor.username])[ctx.actor.username],
               "reason": data.get("reason") or "存在失信行为，尚未纠正", "attended": attended}
    if attended:
        context.update(attendees=[data.get("attendees") or "法定代表人"], topics_covered=list(TOPICS),
                       statement=data.get("statement") or "接受约谈，承诺按期整改", rectification_plan=data["rectification_plan"],
                       rectification_due_date=due)
    else:
        context["absence_note"] = data.get("absence_note") or "经书面通知，被约谈方无正当理由未到场"
    return issue(ctx, "interview_record", context, decided_by=deciding_organ(ctx, "interview_record"))


def _credit_entry(ctx: StepContext, number: str, *, category: str, content: str) -> CreditRecord:
    """The interview record joins the subject's credit record (kind interview_record, no punishment)."""
    first = ctx.task.data["record_summaries"][0]
    return record_service.create_record(ctx.session, ctx.rules, {
        "subject_code": ctx.case.subject_code, "subject_name": ctx.task.data["subject_name"], "kind": "interview_record",
        "severity": "minor", "category": category, "decision_no": number,
        "decision_date": to_local(ctx.now()).date().isoformat(), "department_code": ctx.case.department_code,
        "department_name": first["department"], "facts": ctx.task.data.get("reason") or "失信约谈",
        "basis": legal_basis(ctx, "interview"), "content": content, "measures": []}, ctx.actor.username, ctx.now(), source="system")


def _escalate(ctx: StepContext, reason: str) -> int | None:
    verdict = ctx.rules.decide("interview_escalation", interview_kind=ctx.task.data["interview_kind"], reason=reason,
                               decision_date=to_local(ctx.now()).date())
    if not verdict["key_attention"]:
        return None
    first = ctx.task.data["record_summaries"][0]
    entry = record_service.create_record(ctx.session, ctx.rules, {
        "subject_code": ctx.case.subject_code, "subject_name": ctx.task.data["subject_name"], "kind": "key_attention",
        "severity": verdict["severity"], "decision_no": f"重点关注〔约谈{ctx.case.id}〕",
        "decision_date": to_local(ctx.now()).date().isoformat(), "department_code": ctx.case.department_code,
        "department_name": first["department"], "facts": "约谈后" + ("拒不到场" if reason == "absent" else "逾期未整改"),
        "basis": legal_basis(ctx, "interview"), "content": "列入重点关注名单",
        "measures": [{"name": m.strip()} for m in verdict["measures"].split("；") if m.strip()]},
        ctx.actor.username, ctx.now(), source="system")
    _share(ctx, "key_attention_listed", entry, entry.decision_no)
    ctx.record("escalated", f"列入重点关注名单（{verdict['severity']}）", after={"record_id": entry.id})
    return entry.id


def _share(ctx: StepContext, kind: str, entry: CreditRecord, number: str) -> None:
    share(ctx, kind, {"record_id": entry.id, "letter_number": number})


def _shown(iso: str) -> str:
    return to_local(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")
