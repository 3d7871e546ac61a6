"""Service tasks of the binding flow (bpmn/binding.bpmn).

The party of a binding case is the account that filed it (`Case.created_by`), which acts for
no subject yet: it is told of every step by name, never through the subject's accounts
(`notify_applicant` would tell the very holders the request may be aimed at).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from workflows.core.clock import to_local
from workflows.core.errors import RuleViolation
from workflows.core.identifiers import mask_subject_code
from workflows.core.models.people import Subject
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.binding.vocabulary import NOTICE_WORDS, RELATIONS
from workflows.kinds.common.steps import close, cn_date
from workflows.people.bindings import grant_binding, holders_of
from workflows.people.subjects import register_subject
from workflows.people.users import find_user


@action("binding_notify_holders")
def notify_holders(ctx: StepContext) -> dict[str, Any]:
    """Every active holder of the subject hears of the request (they may object to the office)."""
    data, now = ctx.task.data, ctx.now()
    holders = [h for h in holders_of(ctx.session, ctx.case.subject_code, now) if h != ctx.case.created_by]
    person = data.get("category") == "natural_person"
    whom, who = ("您本人", "您本人") if person else ("贵单位", "本单位")
    message = (f"账号 {ctx.case.created_by} 申请绑定{whom}（{NOTICE_WORDS[data['relation']]}），"
               f"如非{who}授权请联系信用办")
    for holder in holders:
        ctx.notify("binding_requested", message, username=holder)
    data.update(review_started_at=to_local(now).isoformat(), review_round=1)
    ctx.record("holders_notified", f"已通知该主体的 {len(holders)} 名持有人", after={"holders": holders})
    return {"holders": holders}


@action("binding_grant")
def grant(ctx: StepContext) -> dict[str, Any]:
    """Approve: register the subject if it is new, bind the filer (source review), tell the filer."""
    data, now, code = ctx.task.data, ctx.now(), ctx.case.subject_code
    if ctx.session.get(Subject, code) is None:
        register_subject(ctx.session, code, data["subject_name"], now)
        ctx.session.flush()
    user = find_user(ctx.session, ctx.case.created_by)
    if user is None or not user.active:
        raise RuleViolation("申请账号已停用，不能绑定；请作不予绑定处理", {"decision": "账号已停用"})
    valid_until = date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None
    binding = grant_binding(ctx.session, user_id=user.id, subject_code=code, relation=data["relation"],
                            source="review", granted_by=ctx.actor.username, now=now, valid_until=valid_until,
                            case_id=ctx.case.id)
    close(ctx, "bound", f"予以绑定（{RELATIONS[data['relation']]}）")
    until = f"，授权有效期至{cn_date(valid_until.isoformat())}" if valid_until else ""
    _tell_filer(ctx, f"您的主体绑定申请已通过审核，现可办理 {data['subject_name']} 的业务{until}。")
    return {"binding_id": binding.id, "subject_code": mask_subject_code(code)}


@action("binding_reject")
def reject(ctx: StepContext) -> dict[str, Any]:
    reason = ctx.task.data.get("reason") or "材料不能证明您有权代表该主体"
    close(ctx, "not_bound", f"不予绑定：{reason}")
    _tell_filer(ctx, f"您的主体绑定申请未通过审核：{reason}")
    return {"outcome": "not_bound"}


@action("binding_request_supplement")
def request_supplement(ctx: StepContext) -> dict[str, Any]:
    data, now = ctx.task.data, ctx.now()
    due = ctx.deadline(now, data["supplement_days"])
    items = data.get("supplement_items") or [data.get("reason") or "补充证明材料"]
    data["supplement_requested_at"] = to_local(now).isoformat()
    ctx.record("supplement_requested", f"要求补正，期限至 {to_local(due):%Y-%m-%d}", after={"items": items})
    _tell_filer(ctx, f"请于{cn_date(due.date().isoformat())}前补正主体绑定申请材料：{'；'.join(items)}")
    return {"due_date": due.date().isoformat()}


@action("binding_close_expired")
def close_expired(ctx: StepContext) -> dict[str, Any]:
    close(ctx, "withdrawn", "逾期未补正，按撤回申请处理")
    _tell_filer(ctx, "您未在期限内补正材料，主体绑定申请按撤回处理。")
    return {"outcome": "withdrawn"}


@action("binding_withdrawn")
def withdrawn(ctx: StepContext) -> dict[str, Any]:
    close(ctx, "withdrawn", "申请人撤回申请")
    return {"outcome": "withdrawn"}


def _tell_filer(ctx: StepContext, message: str) -> None:
    ctx.notify("binding_decided", message, username=ctx.case.created_by)
