"""Service tasks of the commitment flow (bpmn/commitment.bpmn)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from workflows import records as record_service
from workflows.archive.commitment_codes import allocate_commitment_code
from workflows.core.clock import LOCAL_TZ, to_local
from workflows.core.errors import RuleViolation
from workflows.core.models.cases import OutboxEvent
from workflows.core.models.commitments import Commitment
from workflows.core.models.records import CreditRecord
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.commitment.templates import (
    TYPES,
    current_template,
    is_notification_type,
)
from workflows.kinds.commitment.vocabulary import FULFILMENTS
from workflows.kinds.common.steps import (
    close,
    deciding_organ,
    issue,
    legal_basis,
    notify_applicant,
)

CATEGORY = {"legal_person": "法人及非法人组织", "natural_person": "自然人"}


@action("commitment_prepare")
def prepare(ctx: StepContext) -> dict[str, Any]:
    """Exclusion rule, 承诺编码, the register row and the 信用承诺书 — all in the filing step."""
    data, today = ctx.task.data, to_local(ctx.now()).date()
    _check_exclusion(ctx)
    version, text = current_template(ctx.session, data["commitment_type"])
    code = allocate_commitment_code(ctx.session, today)
    row = Commitment(code=code, case_id=ctx.case.id, subject_code=ctx.case.subject_code, subject_name=data["subject_name"],
                     subject_category=CATEGORY.get(data["subject_category"], "法人及非法人组织"),
                     commitment_type=data["commitment_type"], matter=data["matter"], content=data["content"],
                     liability=data["liability"], text=text, template_version=version, made_on=today,
                     valid_until=_day(data.get("valid_until")), verify_on=_verify_on(data, today),
                     disclosure=data["disclosure"], department_code=ctx.case.department_code,
                     department_name=data["department_name"], deficiency_materials=data["deficiency_materials"],
                     status="filed", created_at=ctx.now(), updated_at=ctx.now())
    ctx.session.add(row)
    letter = issue(ctx, "commitment", _letter_context(ctx, row), number=code, decided_by=deciding_organ(ctx, "commitment"))
    data.update(commitment_code=code, template_version=version)
    ctx.record("commitment_prepared", f"生成信用承诺书，承诺编码 {code}", after={"code": code, "template_version": version})
    return {"code": code, "letter": letter}


@action("commitment_signed")
def signed(ctx: StepContext) -> dict[str, Any]:
    """The maker confirmed and signed the letter: the register says so."""
    row = _row(ctx)
    row.status, row.updated_at = "confirmed", ctx.now()
    ctx.record("commitment_signed", f"承诺人确认签署：{ctx.task.data.get('signer', '')}")
    return {"status": "confirmed"}


@action("commitment_rejected")
def rejected(ctx: StepContext) -> dict[str, Any]:
    row = _row(ctx)
    row.status, row.updated_at = "rejected", ctx.now()
    close(ctx, "rejected", f"受理单位不予受理：{ctx.task.data.get('reason', '')}")
    notify_applicant(ctx, f"您的信用承诺（{row.code}）未被受理：{ctx.task.data.get('reason', '')}")
    return {"status": "rejected"}


@action("commitment_accept")
def accept(ctx: StepContext) -> dict[str, Any]:
    """Accepted: published per disclosure type; the verification date arms the timer."""
    row, data, now = _row(ctx), ctx.task.data, ctx.now()
    row.status, row.updated_at = "accepted", now
    if row.commitment_type == "deficiency_acceptance":
        row.deficiency_due = ctx.deadline(now, data["deficiency_days"]).date()
    if row.disclosure == "public":
        _share(ctx, "commitment_published", row)
    data.update(accepted_at=to_local(now).isoformat(),
                verify_at=datetime.combine(row.verify_on, time(9), LOCAL_TZ).isoformat())
    ctx.record("commitment_accepted", f"受理承诺，{'公示' if row.disclosure == 'public' else '不公示'}，核查日期 {row.verify_on}",
               after={"disclosure": row.disclosure, "verify_on": row.verify_on.isoformat()})
    return {"status": "accepted", "verify_on": row.verify_on.isoformat()}


@action("commitment_deficiency_missed")
def deficiency_missed(ctx: StepContext) -> dict[str, Any]:
    ctx.task.data.update(fulfilment="none", unfulfilled=f"未在期限内补齐容缺材料：{_row(ctx).deficiency_materials}",
                         liability_action="")
    ctx.record("deficiency_missed", "容缺材料逾期未补齐")
    return {"fulfilment": "none"}


@action("commitment_take_report")
def take_report(ctx: StepContext) -> dict[str, Any]:
    """A breach reported before the verification date (message event with the verify body)."""
    report = ctx.task.data.get("breach_report") or {}
    ctx.task.data.update(fulfilment=report.get("fulfilment", "false"), unfulfilled=report.get("unfulfilled", ""),
                         liability_action=report.get("liability_action", ""))
    ctx.record("breach_reported", f"受理单位报告违诺：{FULFILMENTS.get(ctx.task.data['fulfilment'], '')}",
               after={"report": report})
    return {"fulfilment": ctx.task.data["fulfilment"]}


@action("commitment_fulfilled")
def fulfilled(ctx: StepContext) -> dict[str, Any]:
    row = _verified(ctx, "fulfilled")
    _share(ctx, "commitment_fulfilled", row)
    close(ctx, "fulfilled", "承诺已全部履行（践诺）")
    notify_applicant(ctx, f"您的信用承诺（{row.code}）经核查已全部履行。")
    return {"status": "fulfilled"}


@action("commitment_breach_notice")
def breach_notice(ctx: StepContext) -> dict[str, Any]:
    """拟认定违诺 (DOMAIN.md §I): the 违诺告知书 states the facts, the basis, the proposed consequence
    and the period to state and defend (due_process DMN). Nothing is recorded or shared yet."""
    data, row, now = ctx.task.data, _verified(ctx, "breach_pending"), ctx.now()
    verdict = ctx.rules.decide("breach_consequence", commitment_type=row.commitment_type, fulfilment=row.fulfilment,
                               decision_date=to_local(now).date())
    row.liability_action = row.liability_action or verdict["consequence"]
    period = _due_process(ctx)
    due = ctx.deadline(now, period["statement_days"])
    letter = issue(ctx, "breach_notice", {**_notice_context(ctx, row), "basis": legal_basis(ctx, "commitment_breach"),
                                           "statement_due_date": due.date().isoformat()},
                   decided_by=deciding_organ(ctx, "breach_notice"))
    data.update(statement_due_at=due.isoformat(), breach_notice_number=letter["number"],
                breach_noticed_at=to_local(now).isoformat(),
                breach_verdict={k: verdict[k] for k in ("severity", "consequence", "measures", "start_interview")})
    ctx.record("breach_noticed", f"拟认定违诺（{FULFILMENTS[row.fulfilment]}），告知陈述申辩权利，期限至 {due.date()}",
               after={"fulfilment": row.fulfilment, "unfulfilled": row.unfulfilled, "proposed": row.liability_action,
                      "statement_due_at": due.isoformat(), "statement_days": period["statement_days"],
                      "notice_number": letter["number"]})
    notify_applicant(ctx, f"您的信用承诺（{row.code}）经核查拟认定违诺，请于 {due.date()} 前提出陈述、申辩（{letter['number']}）。")
    return {"status": "breach_pending", "statement_due_at": due.isoformat(), "letter": letter}


@action("commitment_breach")
def breach(ctx: StepContext) -> dict[str, Any]:
    """违诺处理决定 after the statement or its period: the decision letter first, then the breach
    record with its measures and the sharing; a repair commitment re-opens the repaired records."""
    data = ctx.task.data
    if "breach_verdict" not in data:  # a case running on a spec set from before due process
        return _breach_at_once(ctx)
    row, verdict = _row(ctx), data["breach_verdict"]
    row.status, row.updated_at = "breached", ctx.now()
    row.verified_on = to_local(ctx.now()).date()
    reopened = _reopen_repaired(ctx, row)
    letter = issue(ctx, "breach_decision", _decision_context(ctx, row, verdict, reopened),
                   decided_by=deciding_organ(ctx, "breach_decision"))
    record = _breach_record(ctx, row, verdict, letter["number"])
    row.breach_record_id = record.id
    _share(ctx, "commitment_breached", row, record_id=record.id, consequence=verdict["consequence"],
           decision_number=letter["number"], reopened_records=[r["record_id"] for r in reopened])
    ctx.record("breach_decided", f"作出违诺处理决定（{letter['number']}）：{verdict['consequence']}",
               after={"decision_number": letter["number"], "record_id": record.id, "reason": data.get("breach_reason", ""),
                      "statement_filed": bool(data.get("statement")), "reopened_records": reopened})
    close(ctx, "breached", f"违诺（{FULFILMENTS[row.fulfilment]}）：{verdict['consequence']}")
    notify_applicant(ctx, f"您的信用承诺（{row.code}）经核查认定违诺：{verdict['consequence']}（{letter['number']}）")
    data["breach_record_id"] = record.id
    if verdict.get("start_interview"):
        _start_interview(ctx, row, record)
    return {"status": "breached", "record_id": record.id, "severity": verdict["severity"], "letter": letter}


def _breach_at_once(ctx: StepContext) -> dict[str, Any]:
    """The older flow's single step (notice, record, sharing at once), kept for its running cases."""
    data, row = ctx.task.data, _verified(ctx, "breached")
    verdict = ctx.rules.decide("breach_consequence", commitment_type=row.commitment_type, fulfilment=row.fulfilment,
                               decision_date=to_local(ctx.now()).date())
    row.liability_action = row.liability_action or verdict["consequence"]
    letter = issue(ctx, "breach_notice", {**_notice_context(ctx, row), "basis": legal_basis(ctx, "commitment_breach"),
                                           "statement_due_date": ctx.deadline(ctx.now(), 5).date().isoformat()},
                   decided_by=deciding_organ(ctx, "breach_notice"))
    record = _breach_record(ctx, row, verdict, letter["number"])
    row.breach_record_id = data["breach_record_id"] = record.id
    _share(ctx, "commitment_breached", row, record_id=record.id, consequence=verdict["consequence"])
    close(ctx, "breached", f"违诺（{FULFILMENTS[row.fulfilment]}）：{verdict['consequence']}")
    notify_applicant(ctx, f"您的信用承诺（{row.code}）经核查认定违诺：{verdict['consequence']}")
    if verdict.get("start_interview"):
        _start_interview(ctx, row, record)
    return {"status": "breached", "record_id": record.id, "severity": verdict["severity"]}


@action("commitment_breach_dropped")
def breach_dropped(ctx: StepContext) -> dict[str, Any]:
    """The department, having heard the party, does not find a breach: no record, nothing shared."""
    data, row = ctx.task.data, _row(ctx)
    reason = data.get("breach_reason", "")
    row.status, row.updated_at = "cleared", ctx.now()
    ctx.record("breach_dropped", f"不予认定违诺：{reason}", after={"reason": reason,
                                                             "statement_filed": bool(data.get("statement"))})
    close(ctx, "breach_dropped", f"经陈述申辩，不予认定违诺：{reason}")
    notify_applicant(ctx, f"您的信用承诺（{row.code}）经审查不予认定违诺：{reason}")
    return {"status": "cleared"}


@action("commitment_adopt")
def adopt(ctx: StepContext) -> dict[str, Any]:
    """A repair commitment made and published with a repair request enters the 践诺 loop: its
    register row is this case's, verified on its date (the records' latest end of publicity)."""
    data, now = ctx.task.data, ctx.now()
    row = ctx.session.scalars(select(Commitment).where(Commitment.code == data["commitment_code"]).with_for_update()).one()
    row.case_id, row.status, row.updated_at = ctx.case.id, "accepted", now
    data.update(accepted_at=to_local(now).isoformat(),
                verify_at=datetime.combine(row.verify_on, time(9), LOCAL_TZ).isoformat())
    ctx.record("commitment_accepted", f"信用修复承诺纳入践诺监管，核查日期 {row.verify_on}",
               after={"code": row.code, "origin_case_id": row.origin_case_id, "verify_on": row.verify_on.isoformat()})
    return {"status": "accepted", "verify_on": row.verify_on.isoformat()}


def _start_interview(ctx: StepContext, row: Commitment, record: CreditRecord) -> None:
    """Configured in the breach DMN: a warning interview by the accepting department follows."""
    day = ctx.deadline(ctx.now(), 5).date()
    summary = {"id": record.id, "decision_no": record.decision_no, "kind": record.kind, "severity": record.severity,
               "department": record.department_name, "decision_date": record.decision_date.isoformat(),
               "content": record.content}
    ctx.post_start("interview", row.subject_code, {
        "record_ids": [record.id], "record_summaries": [summary], "subject_name": row.subject_name,
        "interview_kind": "warning", "scheduled_at": datetime.combine(day, time(9, 30), LOCAL_TZ).isoformat(),
        "place": f"{row.department_name}（具体地点另行通知）", "officers": [row.department_name],
        "reason": f"违背信用承诺（{row.code}）", "materials": ["整改情况说明"], "reschedule_count": 0,
        "warning_id": None}, row.department_code, title=f"{row.subject_name} 警示约谈（违诺）")


# -- helpers ---------------------------------------------------------------------------------

def _check_exclusion(ctx: StepContext) -> None:
    data = ctx.task.data
    serious = _blocking(ctx, "serious")
    false_commitment = _blocking(ctx, "false")
    today = to_local(ctx.now()).date()
    verdict = ctx.rules.decide("commitment_exclusion",
                               is_notification_type=is_notification_type(ctx.rules, data["commitment_type"], today),
                               has_serious_record=serious is not None, has_false_commitment=false_commitment is not None,
                               decision_date=today)
    if not verdict["allowed"]:
        record = false_commitment or serious
        raise RuleViolation(f"{verdict['reason']}（{record.decision_no}，{record.department_name}）",
                            {"commitment_type": "请先完成信用修复，或选择其他承诺类型"})


def _blocking(ctx: StepContext, which: str) -> CreditRecord | None:
    """A shown (not repaired, not revoked) serious record, or a false-commitment breach record."""
    query = select(CreditRecord).where(CreditRecord.subject_code == ctx.case.subject_code,
                                       CreditRecord.publicity_status.in_(("public", "suspended")))
    if which == "serious":
        query = query.where((CreditRecord.severity == "serious") | (CreditRecord.kind == "serious_list"))
    else:
        query = query.where(CreditRecord.kind == "breach", CreditRecord.category == "虚假承诺")
    return ctx.session.scalars(query.order_by(CreditRecord.decision_date.desc()).limit(1)).first()


def _verify_on(data: dict[str, Any], today: date) -> date:
    for key in ("verify_on", "valid_until"):
        if data.get(key):
            return date.fromisoformat(data[key])
    return today + timedelta(days=int(data["verify_after_days"]))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(ctx: StepContext) -> Commitment:
    return ctx.session.scalars(select(Commitment).where(Commitment.case_id == ctx.case.id).with_for_update()).one()


def _verified(ctx: StepContext, status: str) -> Commitment:
    row, data = _row(ctx), ctx.task.data
    row.status, row.fulfilment = status, data.get("fulfilment", "full")
    row.unfulfilled, row.liability_action = data.get("unfulfilled", ""), data.get("liability_action", "")
    row.verified_on, row.verified_by, row.updated_at = to_local(ctx.now()).date(), row.department_name, ctx.now()
    return row


def _letter_context(ctx: StepContext, row: Commitment) -> dict[str, Any]:
    category = "natural_person" if row.subject_category == "自然人" else "legal_person"
    context = {"subject": {"name": row.subject_name, "code": row.subject_code, "category": category},
               "issuer": {"name": row.department_name, "number_prefix": "承诺"},
               "commitment_type": row.commitment_type, "matter": row.matter, "liability": row.liability,
               "disclosure": row.disclosure, "content": [line for line in row.content.splitlines() if line.strip()],
               "valid_until": row.valid_until.isoformat() if row.valid_until else None}
    if row.commitment_type == "deficiency_acceptance":
        context["deficiency"] = {"materials": [m for m in row.deficiency_materials.replace("；", "\n").splitlines() if m.strip()],
                                 "due_date": ctx.deadline(ctx.now(), ctx.task.data["deficiency_days"]).date().isoformat()}
    return {k: v for k, v in context.items() if v not in (None, [])}


def _notice_context(ctx: StepContext, row: Commitment) -> dict[str, Any]:
    category = "natural_person" if row.subject_category == "自然人" else "legal_person"
    return {"subject": {"name": row.subject_name, "code": row.subject_code, "category": category},
            "commitment": {"number": row.code, "date": row.made_on.isoformat(), "type": row.commitment_type,
                           "matter": row.matter},
            "fulfilment": row.fulfilment, "checked_date": to_local(ctx.now()).date().isoformat(),
            "unfulfilled": row.unfulfilled, "liability_action": row.liability_action}


def _breach_record(ctx: StepContext, row: Commitment, verdict: dict[str, Any], notice_no: str) -> CreditRecord:
    measures = [{"name": m.strip(), "implementing_department": row.department_name}
                for m in verdict["measures"].split("；") if m.strip()]
    return record_service.create_record(ctx.session, ctx.rules, {
        "subject_code": row.subject_code, "subject_name": row.subject_name, "kind": "breach",
        "severity": verdict["severity"], "category": "虚假承诺" if row.fulfilment == "false" else "违背承诺",
        "decision_no": notice_no, "decision_date": to_local(ctx.now()).date().isoformat(),
        "department_code": row.department_code, "department_name": row.department_name,
        "facts": f"{TYPES[row.commitment_type]}承诺（{row.code}，{row.matter}）{FULFILMENTS[row.fulfilment]}：{row.unfulfilled}",
        "basis": row.liability, "content": verdict["consequence"], "measures": measures},
        ctx.actor.username, ctx.now(), source="system")


def _due_process(ctx: StepContext) -> dict[str, Any]:
    """The statement period and the remedies, by the day the notice is given (due_process DMN)."""
    notice_day = (ctx.task.data.get("breach_noticed_at") or to_local(ctx.now()).isoformat())[:10]
    return ctx.rules.decide("due_process", burden="commitment_breach", notice_date=notice_day)


def _reopen_repaired(ctx: StepContext, row: Commitment) -> list[dict[str, Any]]:
    """信用修复型: the records this commitment covered are shown again until their maximum end."""
    if row.commitment_type != "repair" or not row.record_ids:
        return []
    reason = f"违背信用修复承诺（{row.code}），恢复公示至最长公示期届满"
    reopened = []
    for record_id in row.record_ids:
        record = record_service.lock_record(ctx.session, record_id)
        if record_service.reopen_publicity(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id, reason):
            reopened.append({"record_id": record.id, "decision_no": record.decision_no,
                             "publicity_status": record.publicity_status,
                             "until": record.publicity_max_end.isoformat() if record.publicity_max_end else None})
    return reopened


def _decision_context(ctx: StepContext, row: Commitment, verdict: dict[str, Any],
                      reopened: list[dict[str, Any]]) -> dict[str, Any]:
    data, remedies = ctx.task.data, _due_process(ctx)
    statement = data.get("statement") or ""
    context = {**_notice_context(ctx, row), "basis": legal_basis(ctx, "commitment_breach"),
               "notice_number": data["breach_notice_number"], "notice_date": data["breach_noticed_at"][:10],
               "statement": statement[:500], "statement_considered": data.get("breach_reason", ""),
               "consequence": verdict["consequence"],
               "measures": [m.strip() for m in verdict["measures"].split("；") if m.strip()],
               "repair_basis": legal_basis(ctx, "repair"),
               "reconsideration_days": remedies["reconsideration_days"], "lawsuit_months": remedies["lawsuit_months"],
               "reopened": [{"decision_no": r["decision_no"], "until": r["until"]} for r in reopened if r["until"]]}
    return {k: v for k, v in context.items() if v not in ("", [])}


def _share(ctx: StepContext, kind: str, row: Commitment, **extra: Any) -> None:
    payload = {"code": row.code, "subject_code": row.subject_code, "subject_name": row.subject_name,
               "commitment_type": row.commitment_type, "matter": row.matter, "disclosure": row.disclosure,
               "status": row.status, "fulfilment": row.fulfilment, "department": row.department_name, **extra}
    ctx.session.add(OutboxEvent(kind=kind, case_id=ctx.case.id, created_at=ctx.now(), payload=payload))
