"""After a failed interview: the key-attention list (重点关注名单) only through due process
(国办发〔2020〕49号, DOMAIN.md §I). The escalation rule proposes; the subject is told the reasons,
basis, measures, removal conditions and its right to state and defend (拟列入重点关注名单告知书);
it may do so in the portal or the API within the period (DMN `due_process`, burden
`key_attention`); the designating department decides considering what it said; only a decision
to list issues the 列入重点关注名单决定书 and creates the list entry and shares it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from workflows import records as record_service
from workflows.core.clock import to_local
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.common.steps import (
    close,
    cn_date,
    issue,
    legal_basis,
    letter_records,
    notify_applicant,
    notify_department,
    share,
    subject_party,
)
from workflows.kinds.interview.actions import designator, interview_rules
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS


@action("interview_propose_listing")
def propose(ctx: StepContext) -> dict[str, Any]:
    """拟列入: nothing is listed or shared yet; the statement period starts with the notice."""
    data, today = ctx.task.data, to_local(ctx.now()).date().isoformat()
    reason = data.get("escalation_reason") or "not_rectified"
    verdict = ctx.rules.decide("interview_escalation", interview_kind=data["interview_kind"], reason=reason,
                               decision_date=today)
    if not verdict["key_attention"]:
        data["listing_proposed"] = False
        close(ctx, reason, "约谈未达到目的，但依规则不列入重点关注名单，约谈办结")
        return {"listing_proposed": False}
    process = ctx.rules.decide("due_process", burden="key_attention", notice_date=today)
    due = ctx.deadline(ctx.now(), process["statement_days"])
    proposal = {"reason": reason, "facts": _facts(ctx, reason), "severity": verdict["severity"],
                "measures": [m.strip() for m in verdict["measures"].split("；") if m.strip()],
                "removal_conditions": interview_rules(ctx)["removal_conditions"],
                "basis": legal_basis(ctx, "key_attention"), "statement_days": process["statement_days"],
                "reconsideration_days": process["reconsideration_days"], "lawsuit_months": process["lawsuit_months"],
                "statement_due_date": due.date().isoformat(), "notice_date": today}
    organ = designator(ctx, "key_attention_notice")
    letter = issue(ctx, "key_attention_notice", {
        **_common(ctx, proposal), "statement_days": proposal["statement_days"],
        "statement_due_date": proposal["statement_due_date"], "designator": organ["designator"]},
        decided_by=organ["decided_by"])
    proposal["notice_number"] = letter["number"]
    data.update(listing_proposed=True, statement_due_at=due.isoformat(), listing_proposal=proposal)
    ctx.record("key_attention_proposed", f"拟列入重点关注名单（{letter['number']}），可于 {proposal['statement_due_date']} "
               "前陈述申辩", after=proposal)
    notify_applicant(ctx, f"认定部门拟将你单位列入重点关注名单（{letter['number']}）。你单位可于 "
                          f"{proposal['statement_due_date']} 前在“申请人服务”的案件页面提出陈述、申辩。")
    return {"listing_proposed": True, "letter": letter}


@action("interview_take_defence")
def take_defence(ctx: StepContext) -> dict[str, Any]:
    """The statement (or the waiver) goes on the timeline the department decides from."""
    data = ctx.task.data
    if data.get("waived"):
        ctx.record("defence_waived", "当事人放弃陈述、申辩", after={"waived": True})
    else:
        ctx.record("defence_filed", f"当事人提出陈述、申辩：{data['defence']}", after={"defence": data["defence"]})
    notify_department(ctx, f"案件 {ctx.case.id}：当事人已{'放弃' if data.get('waived') else '提出'}陈述、申辩，请作出是否列入重点关注名单的决定。")
    return {"waived": bool(data.get("waived"))}


@action("interview_list")
def list_subject(ctx: StepContext) -> dict[str, Any]:
    """列入重点关注名单决定书, then the list entry (kind key_attention) with its measures, shared."""
    data, proposal = ctx.task.data, ctx.task.data["listing_proposal"]
    organ = designator(ctx, "key_attention_decision")
    letter = issue(ctx, "key_attention_decision", {
        **_common(ctx, proposal), "notice_number": proposal["notice_number"], "notice_date": proposal["notice_date"],
        "defence": _defence(data), "listing_reason": data["listing_reason"],
        "reconsideration_days": proposal["reconsideration_days"], "lawsuit_months": proposal["lawsuit_months"],
        "designator": organ["designator"]}, decided_by=organ["decided_by"])
    first = data["record_summaries"][0]
    entry = record_service.create_record(ctx.session, ctx.rules, {
        "subject_code": ctx.case.subject_code, "subject_name": data["subject_name"], "kind": "key_attention",
        "severity": proposal["severity"], "decision_no": letter["number"],
        "decision_date": to_local(ctx.now()).date().isoformat(), "department_code": ctx.case.department_code,
        "department_name": first["department"], "facts": proposal["facts"], "basis": proposal["basis"],
        "content": "列入重点关注名单；移出条件：" + proposal["removal_conditions"],
        "measures": [{"name": m} for m in proposal["measures"]]}, ctx.actor.username, ctx.now(), source="system")
    share(ctx, "key_attention_listed", {"record_id": entry.id, "letter_number": letter["number"]})
    ctx.record("escalated", f"列入重点关注名单（{letter['number']}）", after={"record_id": entry.id})
    close(ctx, "listed", "经告知和陈述申辩，决定列入重点关注名单")
    notify_applicant(ctx, f"你单位已被列入重点关注名单（{letter['number']}），移出条件见决定书。")
    return {"letter": letter, "key_attention_record": entry.id}


@action("interview_not_listed")
def not_listed(ctx: StepContext) -> dict[str, Any]:
    reason = ctx.task.data["listing_reason"]
    close(ctx, "not_listed", f"经审查，决定不予列入重点关注名单：{reason}")
    notify_applicant(ctx, f"经审查，认定部门决定不将你单位列入重点关注名单：{reason}")
    return {"outcome": "not_listed"}


@action("interview_escalate")
def legacy_escalate(ctx: StepContext) -> dict[str, Any]:
    """Flows started before due process ended here by listing at once; they now only record the
    lapse: listing needs the notice and the subject's hearing (a new interview case)."""
    close(ctx, "not_rectified", "逾期未整改；列入重点关注名单须经告知和陈述申辩，另行办理")
    notify_department(ctx, f"案件 {ctx.case.id}：被约谈方逾期未整改。列入重点关注名单须先告知并听取陈述申辩。")
    return {"outcome": "not_rectified"}


# -- helpers ---------------------------------------------------------------------------------

def _common(ctx: StepContext, proposal: dict[str, Any]) -> dict[str, Any]:
    """What both letters state: whom, why, on which basis, with which measures and way out."""
    return {"subject": subject_party(ctx), "interview_kind": ctx.task.data["interview_kind"], "facts": proposal["facts"],
            "records": letter_records(ctx), "basis": proposal["basis"], "measures": proposal["measures"],
            "removal_conditions": proposal["removal_conditions"]}


def _facts(ctx: StepContext, reason: str) -> str:
    """The reasons, in the letters' words (they prefix 你单位 / 你)."""
    data = ctx.task.data
    kind = INTERVIEW_KINDS[data["interview_kind"]]
    if reason == "absent":
        held = to_local(datetime.fromisoformat(data["scheduled_at"]))
        return f"经书面通知，无正当理由未参加定于{cn_date(held.date().isoformat())}的{kind}"
    due = data.get("rectification_due_at")
    until = f"（{cn_date(due)}前）" if due else ""
    return f"经{kind}后，未在约谈确定的期限{until}内完成整改（整改要求：{data.get('rectification_plan') or '纠正失信行为'}）"


def _defence(data: dict[str, Any]) -> dict[str, Any]:
    """What the subject said: `state` ∈ filed / waived / none (the period passed in silence)."""
    if data.get("defence"):
        return {"state": "filed", "text": data["defence"]}
    return {"state": "waived" if data.get("waived") else "none"}
