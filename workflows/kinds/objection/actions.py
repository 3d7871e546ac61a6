"""Service tasks of the objection flow (bpmn/objection.bpmn)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workflows import records as record_service
from workflows.core.clock import to_local
from workflows.core.errors import RuleViolation
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.models.records import CaseRecord, CreditRecord, PunishmentMeasure
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.common.steps import (
    application_context,
    close,
    deciding_organ,
    issue,
    legal_basis,
    letter_records,
    notify_applicant,
    notify_department,
    share,
    subject_party,
)

FIELD_NAMES = {"decision_no": "决定文书号", "decision_date": "决定日期", "severity": "严重程度",
               "category": "处罚类别", "facts": "违法事实", "basis": "处罚依据", "content": "处罚内容",
               "fine_amount": "罚款金额", "department_name": "认定部门", "subject_name": "当事人名称"}


@action("objection_suspend")
def suspend(ctx: StepContext) -> dict[str, Any]:
    """Filing, in its transaction: the records are linked (one running objection each) and a
    running repair pauses; publicity is suspended now only if the rules say so (DMN
    `objection_rules`: `suspension_starts` "filing"), by default at acceptance."""
    records = _lock_and_link(ctx)
    for repair_id in _open_repairs(ctx, records):
        ctx.post_message(repair_id, "objection_opened", {"objection_case": ctx.case.id})
    ctx.task.data["review_started_at"] = to_local(ctx.now()).isoformat()
    if _suspension_starts(ctx) == "filing":
        _suspend(ctx, records)
    return {"records": [r.id for r in records], "since": ctx.task.data.get("suspended_since")}


@action("objection_reject")
def reject(ctx: StepContext) -> dict[str, Any]:
    """Not an objection (duplicate, out of scope): everything restored exactly, with a letter."""
    reason = ctx.task.data.get("reason") or "不属于异议处理范围"
    records = _resume_all(ctx, extend=False, reason="异议不予受理，恢复原状")
    letter = _outcome_letter(ctx, "rejected", reason)
    _finish(ctx, "not_accepted", f"不予受理：{reason}", records)
    return {"letter": letter}


@action("objection_accept")
def accept(ctx: StepContext) -> dict[str, Any]:
    data, now = ctx.task.data, ctx.now()
    if not _suspended_since(ctx):
        _suspend(ctx, _case_records(ctx))
    due = ctx.deadline(now, data["verification_days"])
    letter = issue(ctx, "objection_acceptance", {
        **_objection_context(ctx), "verify_due_date": due.date().isoformat(), "basis": legal_basis(ctx, "objection")},
        decided_by=deciding_organ(ctx, "objection_acceptance"))
    data["verification_started_at"] = to_local(now).isoformat()
    ctx.record("accepted", f"受理异议，转认定部门核实，期限至 {to_local(due):%Y-%m-%d}",
               after={"verify_due_at": due.isoformat()})
    notify_department(ctx, f"异议案件 {ctx.case.id} 待核实，期限至 {to_local(due):%Y-%m-%d}")
    notify_applicant(ctx, "您的异议申请已受理，正在核实。")
    return {"letter": letter}


@action("objection_correct")
def correct(ctx: StepContext) -> dict[str, Any]:
    """更正: amend field by field (old values in history), then publicity resumes corrected."""
    changes = ctx.task.data.get("corrections") or {}
    corrections = []
    for record in _case_records(ctx):
        before = {k: getattr(record, k) for k in changes}
        amended = record_service.amend_record(ctx.session, record, changes, ctx.actor.username, ctx.now(),
                                              ctx.case.id, "异议更正", rules=ctx.rules)
        corrections += [{"item": FIELD_NAMES.get(k, k), "before": _text(before.get(k)), "after": _text(v)}
                        for k, v in amended.items() if k in changes]
        record_service.resume_record(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id,
                                     "异议更正后恢复公示")
    ctx.record("corrections", "更正：" + "；".join(f"{c['item']}" for c in corrections), after={"items": corrections})
    letter = _outcome_letter(ctx, "correct", ctx.task.data["reason"], corrections=corrections)
    _finish(ctx, "corrected", "已更正：" + "；".join(f"{c['item']} {c['before']}→{c['after']}" for c in corrections),
            _case_records(ctx), corrections=corrections)
    return {"letter": letter, "corrections": corrections}


@action("objection_revoke")
def revoke(ctx: StepContext) -> dict[str, Any]:
    """撤销 and 恢复信誉: measures terminated, every partner told, a letter to the subject."""
    records = _case_records(ctx)
    for record in records:
        record_service.revoke_record(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id,
                                     f"异议成立，撤销（案件 {ctx.case.id}）")
    notices = _restore_reputation(ctx, records)
    letter = _outcome_letter(ctx, "revoke", ctx.task.data["reason"])
    _finish(ctx, "revoked", f"已撤销，已通知 {len(notices)} 个共享单位", records, notices=notices)
    return {"letter": letter, "notices": notices}


@action("objection_uphold")
def uphold(ctx: StepContext) -> dict[str, Any]:
    """维持: publicity and punishments resume (再公开), end dates extended when configured."""
    extend = bool(ctx.task.data.get("uphold_extends_publicity"))  # DMN objection_rules, default off
    records = _resume_all(ctx, extend=extend, reason="异议不成立，恢复公示")
    extended = max((r.publicity_max_end for r in records if r.publicity_max_end), default=None) if extend else None
    letter = _outcome_letter(ctx, "uphold", ctx.task.data["reason"], extended_until=extended)
    _finish(ctx, "upheld", "维持原记录，恢复公示" + ("并顺延公示期" if extend else ""), records)
    return {"letter": letter}


@action("objection_withdrawn")
def withdrawn(ctx: StepContext) -> dict[str, Any]:
    records = _resume_all(ctx, extend=False, reason="申请人撤回异议，恢复公示")
    _finish(ctx, "withdrawn", "申请人撤回异议", records)
    return {"outcome": "withdrawn"}


# -- helpers ---------------------------------------------------------------------------------

def _lock_and_link(ctx: StepContext) -> list[CreditRecord]:
    ids = ctx.task.data["record_ids"]
    query = select(CreditRecord).where(CreditRecord.id.in_(ids)).order_by(CreditRecord.id).with_for_update()
    records = list(ctx.session.scalars(query))
    for record in records:
        if _open_objection(ctx, record.id):
            raise RuleViolation(f"记录 {record.decision_no} 已有正在办理的异议，请勿重复提出",
                                {"record_ids": "该记录已有在办异议"})
    record_service.link_records(ctx.session, ctx.case, records, new_case=True)
    ctx.session.flush()
    return records


def _open_objection(ctx: StepContext, record_id: int) -> bool:
    query = (select(Case.id).join(CaseRecord, CaseRecord.case_id == Case.id)
             .where(CaseRecord.record_id == record_id, Case.kind == "objection", Case.status == "running",
                    Case.id != ctx.case.id))
    return ctx.session.scalars(query).first() is not None


def _open_repairs(ctx: StepContext, records: list[CreditRecord]) -> list[int]:
    query = (select(Case.id).join(CaseRecord, CaseRecord.case_id == Case.id)
             .where(CaseRecord.record_id.in_([r.id for r in records]), Case.kind == "repair",
                    Case.status == "running").distinct())
    return list(ctx.session.scalars(query))


def _case_records(ctx: StepContext) -> list[CreditRecord]:
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == ctx.case.id).order_by(CreditRecord.id).with_for_update())
    return list(ctx.session.scalars(query))


def _suspension_starts(ctx: StepContext) -> str:
    """When the rules in force at receipt suspend publicity: "acceptance" (default) or "filing"."""
    return ctx.task.data.get("suspension_starts") or "acceptance"


def _suspended_since(ctx: StepContext) -> str | None:
    """The moment this case suspended its records (its `suspended` audit event, this step's or
    a committed one); None while nothing is suspended. Read from the audit trail, not task data:
    a withdrawal cancels the sub-process whose data holds the acceptance."""
    pending = [event for event in ctx.events if event.kind == "suspended"]
    if pending:
        return pending[-1].after["since"]
    query = (select(CaseEvent.after).where(CaseEvent.case_id == ctx.case.id, CaseEvent.kind == "suspended")
             .order_by(CaseEvent.id.desc()).limit(1))
    after = ctx.session.scalars(query).first()
    return after.get("since") if after else None


def _suspend(ctx: StepContext, records: list[CreditRecord]) -> None:
    """Publicity suspended and punishments not enforced from now; every later letter states this moment."""
    since = to_local(ctx.now()).isoformat()
    for record in records:
        record_service.suspend_record(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id,
                                      f"异议核实中（案件 {ctx.case.id}）")
    _share(ctx, "record_suspended", records, reason="异议核实期间暂停公示、中止惩戒", since=since)
    ctx.task.data["suspended_since"] = since
    ctx.record("suspended", "暂停公示：" + "、".join(r.decision_no for r in records),
               after={"records": [r.id for r in records], "since": since})


def _resume_all(ctx: StepContext, *, extend: bool, reason: str) -> list[CreditRecord]:
    """Undo this case's suspension; nothing to undo before it suspended (e.g. not accepted)."""
    records = _case_records(ctx)
    if not _suspended_since(ctx):
        return records
    for record in records:
        if record.publicity_status != "revoked":
            record_service.resume_record(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id,
                                         reason, extend=extend)
    return records


def _restore_reputation(ctx: StepContext, records: list[CreditRecord]) -> list[dict[str, str]]:
    """One notice per partner that used the record: the platform, the designating department,
    and every department that implemented one of its measures."""
    partners = {"信用中国（福建泉州）网站及全国信用信息共享平台"}
    for record in records:
        partners.add(record.department_name)
        measures = ctx.session.scalars(select(PunishmentMeasure).where(PunishmentMeasure.record_id == record.id))
        partners.update(m.implementing_department for m in measures if m.implementing_department)
    notices = [{"partner": p, "records": [r.decision_no for r in records]} for p in sorted(partners)]
    for notice in notices:
        _share(ctx, "reputation_restored", records, partner=notice["partner"],
               reason="记录经异议核实予以撤销，请同步撤销并消除不良影响")
    ctx.record("reputation_restored", "恢复信誉通知：" + "、".join(n["partner"] for n in notices),
               after={"notices": notices})
    return notices


def _objection_context(ctx: StepContext) -> dict[str, Any]:
    data = ctx.task.data
    base = application_context(ctx, "异议")
    objection = {"received_date": base["application"]["received_date"], "target": data["target"],
                 "claim": data["claim"][:300], "case_ref": f"YY-{ctx.case.id:06d}"}
    if since := _suspended_since(ctx):
        objection["suspended_since"] = since[:10]  # the same moment in every letter of the case
    return {"subject": subject_party(ctx), "records": letter_records(ctx), "objection": objection}


def _outcome_letter(ctx: StepContext, outcome: str, reason: str, corrections: list | None = None,
                    extended_until: Any = None) -> dict:
    context = {**_objection_context(ctx), "outcome": outcome, "reason": reason.rstrip("。"), "basis": legal_basis(ctx, "objection"),
               "resume_date": to_local(ctx.now()).date().isoformat()}
    context["objection"].pop("claim", None)
    if extended_until:
        context["extended_until"] = extended_until.isoformat()
    if corrections:
        context["corrections"] = corrections
    # The credit office refuses to accept an objection; the information provider decides its merits (§H).
    decided_by = deciding_organ(ctx, "objection_non_acceptance" if outcome == "rejected" else "objection_outcome")
    return issue(ctx, "objection_outcome", context, decided_by=decided_by)


def _finish(ctx: StepContext, outcome: str, summary: str, records: list[CreditRecord], **extra: Any) -> None:
    close(ctx, outcome, summary)
    _share(ctx, "objection_closed", records, outcome=outcome, **extra)
    for repair_id in _open_repairs(ctx, records):
        ctx.post_message(repair_id, "objection_closed", {"objection_case": ctx.case.id, "outcome": outcome})
    notify_applicant(ctx, f"您的异议已办结：{summary}")


def _share(ctx: StepContext, kind: str, records: list[CreditRecord], **payload: Any) -> None:
    share(ctx, kind, {"records": [{"record_id": r.id, "decision_no": r.decision_no,
                                   "publicity_status": r.publicity_status} for r in records], **payload})




def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
