"""Service tasks of the credit-repair flow (bpmn/repair.bpmn)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from workflows import records as record_service
from workflows.archive.commitment_codes import (
    allocate_commitment_code,
    commitment_counter,
)
from workflows.archive.issuing import letter_counter
from workflows.archive.numbering import reserve_serials
from workflows.core.clock import to_local
from workflows.core.errors import RuleViolation
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import CaseEvent
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.engine.registry import action
from workflows.engine.step import StepContext
from workflows.kinds.common.commitments import (
    put_repair_commitment_in_force,
    register_repair_commitment,
    void_repair_commitment,
)
from workflows.kinds.common.steps import (
    application_context,
    close,
    cn_date,
    deciding_organ,
    issue,
    issuer_for_step,
    legal_basis,
    letter_records,
    notify_applicant,
    notify_department,
    share,
    subject_party,
)
from workflows.kinds.repair.facts import eligibility_facts
from workflows.kinds.repair.vocabulary import LABEL, LIST_KINDS, is_department_procedure
from workflows.training.service import verify_certificate


@action("repair_check_eligibility")
def check_eligibility(ctx: StepContext) -> dict[str, Any]:
    """Link the records to the case and judge each one by the DMN of its regime."""
    records = _lock_records(ctx)
    verdicts = [_judge(ctx, record) for record in records]
    refused = [v for v in verdicts if not v["eligible"]]
    documents = _documents(ctx, records)
    result = {"eligible": not refused, "records": verdicts, **documents,
              "reasons": [f"{v['decision_no']}：{v['reason']}" for v in refused],
              "earliest_date": max((v["earliest_date"] for v in refused if v["earliest_date"]), default=None)}
    ctx.task.data["training_ok"] = _training_ok(ctx, documents["requires_training"],
                                                 ctx.task.data.get("training_certificate_no"))
    ctx.record("eligibility_checked", "符合受理条件" if not refused else "不符合受理条件：" + "；".join(result["reasons"]),
               after={"eligible": result["eligible"], "records": verdicts, "training_ok": ctx.task.data["training_ok"]})
    return result


@action("repair_check_certificate")
def check_certificate(ctx: StepContext) -> dict[str, Any]:
    """The applicant named a training certificate: it must be one issued to this subject."""
    number = ctx.task.data.get("training_certificate_no")
    ok = _training_ok(ctx, True, number)
    ctx.task.data["training_ok"] = ok
    ctx.task.data["certificate_message"] = "" if ok else f"培训证明编号“{number}”无效或不属于本主体，请重新提交"
    ctx.record("certificate_checked", "培训证明核验通过" if ok else ctx.task.data["certificate_message"])
    return {"valid": ok}


@action("repair_refuse_ineligible")
def refuse_ineligible(ctx: StepContext) -> dict[str, Any]:
    data = ctx.task.data
    eligibility = data["eligibility"]
    note = f"可于{cn_date(eligibility['earliest_date'])}后重新申请" if eligibility.get("earliest_date") else None
    letter = issue(ctx, "repair_refusal", {
        **application_context(ctx, LABEL), "variant": "non_acceptance", "reasons": eligibility["reasons"],
        "basis": legal_basis(ctx, "repair"), "records": letter_records(ctx), "reapply_note": note},
        decided_by=deciding_organ(ctx, "repair_non_acceptance"))
    close(ctx, "not_accepted", f"不予受理：{'；'.join(eligibility['reasons'])}")
    notify_applicant(ctx, f"您的信用修复申请不予受理。{note or ''}")
    return {"letter": letter}


@action("repair_accept")
def accept(ctx: StepContext) -> dict[str, Any]:
    data, now = ctx.task.data, ctx.now()
    due = ctx.deadline(now, data["review_days"])
    today = to_local(now).date()
    organ = deciding_organ(ctx, "repair_acceptance")
    issuer = issuer_for_step(ctx, "acceptance", organ)  # its prefix names the counter to reserve
    reserve_serials(ctx.session, [letter_counter(issuer["number_prefix"], today.year), commitment_counter(today)])
    acceptance = issue(ctx, "acceptance", {
        **application_context(ctx, LABEL), "review_due_date": due.date().isoformat(), "basis": legal_basis(ctx, "repair"),
        "issuer": issuer}, decided_by=organ)
    code = allocate_commitment_code(ctx.session, today)
    commitment = issue(ctx, "commitment", {
        "subject": subject_party(ctx), "commitment_type": "repair", "disclosure": "public",
        "matter": f"申请对{'、'.join(r['decision_no'] for r in data['record_summaries'])}失信信息进行信用修复",
        "content": [data["rectification"]][:1],
        "liability": "如违背承诺，自愿接受相关部门依法依规实施的失信惩戒，并承担由此产生的一切法律责任。"}, number=code,
        decided_by=deciding_organ(ctx, "repair_commitment"))
    register_repair_commitment(ctx, commitment)  # in the register; binding once the repair is granted
    result_due = _result_due(ctx)
    data.update(review_started_at=to_local(now).isoformat(), review_round=1, commitment_code=code,
                supplement_from=None, department_started_at=None,
                result_due_at=result_due.isoformat() if result_due else None)
    summary = f"受理，审核时限至 {to_local(due):%Y-%m-%d %H:%M}"
    if result_due:
        summary += f"；谁认定、谁修复，办理结果于 {to_local(result_due):%Y-%m-%d} 前告知申请人"
    ctx.record("accepted", summary, after={"review_due_at": due.isoformat(), "procedure": data.get("procedure"),
                                           "result_due_at": result_due.isoformat() if result_due else None})
    notify_applicant(ctx, f"您的信用修复申请已受理，承诺编码 {code}。")
    return {"acceptance_letter": acceptance, "commitment_letter": commitment, "commitment_code": code}


@action("repair_apply")
def apply_repair(ctx: StepContext) -> dict[str, Any]:
    """Approve: publicity stopped (or list entry removed), measures lifted, shared, letter."""
    if not is_department_procedure(ctx.task.data.get("procedure")):  # forwarding checked it otherwise
        _checked_credit_report(ctx)
    changed = []
    for record in _case_records(ctx):
        removal = "移出名单" if record.kind in LIST_KINDS else "终止公示"
        reason = f"信用修复，{removal}（案件 {ctx.case.id}）"
        record_service.mark_repaired(record, ctx.now())  # the repair rate's projection, this transaction
        record_service.stop_publicity(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id, reason)
        record_service.terminate_measures(ctx.session, record, ctx.actor.username, ctx.now(), ctx.case.id, reason)
        changed.append({"record_id": record.id, "decision_no": record.decision_no,
                        "publicity_status": record.publicity_status})
    letter = issue(ctx, "repair_decision", {
        **application_context(ctx, LABEL), "records": letter_records(ctx), "basis": legal_basis(ctx, "repair"),
        "measures": ["自本决定作出之日起终止公示上述失信信息；", "停止共享和使用上述信息，并将修复结果推送至信用信息共享平台及相关部门；",
                     "同步解除以上述信息为依据实施的失信惩戒措施。"],
        "commitment_number": ctx.task.data.get("commitment_code")}, decided_by=deciding_organ(ctx, "repair_decision"))
    share(ctx, "repair_approved", {"records": changed, "letter_number": letter["number"]})
    put_repair_commitment_in_force(ctx)
    close(ctx, "approved", "予以信用修复")
    notify_applicant(ctx, f"您的信用修复申请已获批准，决定书文号 {letter['number']}。")
    return {"records": changed, "letter": letter}


@action("repair_reject")
def reject(ctx: StepContext) -> dict[str, Any]:
    reason = ctx.task.data.get("reason") or "不符合信用修复条件"
    letter = issue(ctx, "repair_refusal", {
        **application_context(ctx, LABEL), "variant": "refusal", "reasons": [reason], "basis": legal_basis(ctx, "repair"),
        "records": letter_records(ctx)}, decided_by=deciding_organ(ctx, "repair_refusal"))
    share(ctx, "repair_rejected", {"reason": reason, "letter_number": letter["number"]})
    void_repair_commitment(ctx, "rejected")
    close(ctx, "rejected", f"不予修复：{reason}")
    notify_applicant(ctx, f"您的信用修复申请不予修复：{reason}")
    return {"letter": letter}


@action("repair_request_supplement")
def request_supplement(ctx: StepContext) -> dict[str, Any]:
    data, now = ctx.task.data, ctx.now()
    due = ctx.deadline(now, data["supplement_days"])
    items = data.get("supplement_items") or [data.get("reason") or "补充相关证明材料"]
    if _credit_report_missing(ctx) and not any("信用报告" in item for item in items):
        items = [*items, CREDIT_REPORT_ITEM]
    letter = issue(ctx, "supplement_request", {
        **application_context(ctx, LABEL), "items": items, "supplement_due_date": due.date().isoformat(),
        "reason": data.get("reason") or None, "basis": legal_basis(ctx, "repair")},
        decided_by=deciding_organ(ctx, "repair_supplement"))
    data["supplement_requested_at"] = to_local(now).isoformat()
    ctx.record("supplement_requested", f"要求补正，期限至 {to_local(due):%Y-%m-%d}", after={"items": items})
    notify_applicant(ctx, f"请于{cn_date(due.date().isoformat())}前补正材料：{'；'.join(items)}")
    return {"letter": letter, "due_date": due.date().isoformat()}


@action("repair_forward")
def forward(ctx: StepContext) -> dict[str, Any]:
    """谁认定、谁修复: the office's 本级审核 passed the file to the designating department, whose
    decision period (DMN repair_procedure) runs from receiving it."""
    data, now = ctx.task.data, ctx.now()
    report = _checked_credit_report(ctx)
    due = ctx.deadline(now, data["department_days"])
    data["department_started_at"] = to_local(now).isoformat()
    ctx.record("forwarded", f"本级审核通过，转认定部门决定，时限至 {to_local(due):%Y-%m-%d}",
               after={"department_code": ctx.case.department_code, "department_due_at": due.isoformat(),
                      "credit_report": report})
    notify_department(ctx, f"信用修复案件 {ctx.case.id} 已转贵单位决定，请于{cn_date(due.date().isoformat())}前作出决定。")
    notify_applicant(ctx, "您的信用修复申请已通过信用办本级审核，转认定部门作出决定。")
    return {"department_due_date": due.date().isoformat()}


@action("repair_result_overdue")
def result_overdue(ctx: StepContext) -> dict[str, Any]:
    """The result has not reached the applicant within the period counted from the application:
    the open tasks are flagged overdue, supervisors and the department told, once per case."""
    flagged = []
    for task in ctx.workflow.get_tasks(state=TaskState.READY, manual=True):
        task.internal_data["overdue"] = True
        flagged.append(str(task.id))
    told = ctx.session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == ctx.case.id,
                                                         CaseEvent.kind == "result_overdue").limit(1))
    if told is None:
        due = ctx.task.data.get("result_due_at")
        ctx.record("result_overdue", f"未在办理时限（{(due or '')[:10]}）内告知办理结果", after={"due_at": due, "tasks": flagged})
        ctx.notify("sla_breach", f"信用修复案件 {ctx.case.id} 未在时限内告知办理结果，请督办", role="supervisor")
        notify_department(ctx, f"信用修复案件 {ctx.case.id} 已超过办理结果告知时限，请尽快作出决定。")
    return {"flagged": flagged}


@action("repair_close_expired")
def close_expired(ctx: StepContext) -> dict[str, Any]:
    void_repair_commitment(ctx, "withdrawn")
    close(ctx, "withdrawn", "逾期未补正，按撤回申请处理")
    notify_applicant(ctx, "您未在期限内补正材料，信用修复申请按撤回处理。")
    return {"outcome": "withdrawn"}


@action("repair_withdrawn")
def withdrawn(ctx: StepContext) -> dict[str, Any]:
    void_repair_commitment(ctx, "withdrawn")
    close(ctx, "withdrawn", "申请人撤回申请")
    return {"outcome": "withdrawn"}


# -- helpers ---------------------------------------------------------------------------------

def _lock_records(ctx: StepContext) -> list[CreditRecord]:
    ids = ctx.task.data["record_ids"]
    records = _filed_records(ctx, ids) if ctx.new_case else None
    if records is None:
        query = select(CreditRecord).where(CreditRecord.id.in_(ids)).order_by(CreditRecord.id).with_for_update()
        records = list(ctx.session.scalars(query))
    record_service.link_records(ctx.session, ctx.case, records, new_case=ctx.new_case)
    ctx.session.flush()
    return records


def _filed_records(ctx: StepContext, ids: list[int]) -> list[CreditRecord] | None:
    """In the filing step the filer has just read and locked the records (filing.py):
    take them from the session instead of reading them again; None if any is not there."""
    found = [ctx.session.identity_map.get(ctx.session.identity_key(CreditRecord, i)) for i in sorted(ids)]
    return None if any(record is None for record in found) else found


def _judge(ctx: StepContext, record: CreditRecord) -> dict[str, Any]:
    facts = eligibility_facts(ctx.session, record, ctx.case.id, to_local(ctx.now()).date(), ctx.rules)
    verdict = ctx.rules.decide("repair_eligibility", **facts)
    earliest = None
    if verdict["reason_code"] == "min_period" and record.publicity_min_end:
        earliest = record.publicity_min_end.isoformat()
    if verdict["wait_days"] and facts["last_repair_date"]:  # the DMN says how long after the last repair
        earliest = (date.fromisoformat(facts["last_repair_date"]) + timedelta(days=verdict["wait_days"])).isoformat()
    return {"record_id": record.id, "decision_no": record.decision_no, "regime": record.regime,
            "eligible": bool(verdict["eligible"]), "reason_code": verdict["reason_code"],
            "reason": verdict["reason"], "earliest_date": earliest}


def _training_ok(ctx: StepContext, required: bool, number: str | None) -> bool:
    """Serious records under 527 need a repair-training certificate issued to this subject."""
    if not required:
        return True
    return bool(number) and verify_certificate(ctx.session, ctx.case.subject_code, number) is not None


def _documents(ctx: StepContext, records: list[CreditRecord]) -> dict[str, bool]:
    needs = [ctx.rules.decide("repair_documents", regime=r.regime, severity=r.severity) for r in records]
    return {"requires_training": any(n["requires_training"] for n in needs),
            "requires_credit_report": any(n["requires_credit_report"] for n in needs)}


CREDIT_REPORT_ITEM = "信用报告（可使用“信用中国”网站免费下载的信用信息概况报告）"


def _result_due(ctx: StepContext):
    """When the result must reach the applicant (谁认定、谁修复), counted from the application."""
    days = ctx.task.data.get("result_days")
    if not is_department_procedure(ctx.task.data.get("procedure")) or days is None:
        return None
    return ctx.deadline(ctx.case.received_at, days)


def _credit_reports(ctx: StepContext) -> list[str]:
    query = select(Attachment.filename).where(Attachment.case_id == ctx.case.id, Attachment.purpose == "credit_report")
    return list(ctx.session.scalars(query.order_by(Attachment.uploaded_at)))


def _credit_report_missing(ctx: StepContext) -> bool:
    required = bool((ctx.task.data.get("eligibility") or {}).get("requires_credit_report"))
    return required and not _credit_reports(ctx)


def _checked_credit_report(ctx: StepContext) -> list[str] | None:
    """Where the record's regime requires a credit report (527 serious, DMN repair_documents),
    the office passes the file only with one attached: otherwise it asks for a supplement."""
    if not (ctx.task.data.get("eligibility") or {}).get("requires_credit_report"):
        return None
    reports = _credit_reports(ctx)
    if not reports:
        raise RuleViolation("本案须提交信用报告，申请人尚未提交：请选择“需补正”要求补交信用报告",
                            {"decision": "缺少信用报告"})
    ctx.record("credit_report_checked", "已核验信用报告：" + "、".join(reports), after={"files": reports})
    return reports


def _case_records(ctx: StepContext) -> list[CreditRecord]:
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == ctx.case.id).order_by(CreditRecord.id).with_for_update())
    return list(ctx.session.scalars(query))
