"""The 信用修复型 commitment every repair request carries, in the commitment register (DOMAIN.md §A, §B).

Shared because the repair kind signs it and the commitment kind runs its 承诺—践诺 loop. The
repair's acceptance writes the register row (linked to the repair case and its records) as
`filed`: made, not yet binding. Only an approved repair puts it in force and opens the
commitment case that takes the row over, verifies it and, after due process on a breach,
re-opens the repaired records' publicity; a refused, withdrawn or lapsed repair leaves a
commitment that never bound anyone (`rejected` / `withdrawn`, not published).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from workflows.core.clock import to_local
from workflows.core.models.commitments import Commitment
from workflows.core.models.letters import Letter
from workflows.core.models.records import CreditRecord
from workflows.core.models.people import Department
from workflows.engine.step import StepContext

REPAIR_TYPE = "repair"
REPAIR_ORIGIN = "repair"  # `origin` of a commitment case opened by a repair request


def register_repair_commitment(ctx: StepContext, letter: dict[str, Any]) -> Commitment:
    """The register row of the repair commitment just issued as `letter` (its 信用承诺书, numbered
    with the 承诺编码), `filed` until the repair is decided. The accepting department is the
    repair case's department: the one that designated the records (since 22号 it decides their repair)."""
    data, today = ctx.task.data, to_local(ctx.now()).date()
    issued = ctx.session.get(Letter, letter["id"])
    code, context = issued.number, issued.context
    matter, liability = context["matter"], context["liability"]
    content = "\n".join(context.get("content") or [])
    record_ids = [int(i) for i in data["record_ids"]]
    department = ctx.session.get(Department, ctx.case.department_code)
    department_name = department.name if department is not None else ctx.case.department_code
    party = "natural_person" if ctx.case.subject_code[:17].isdigit() else "legal_person"
    row = Commitment(code=code, case_id=None, origin_case_id=ctx.case.id, record_ids=record_ids,
                     subject_code=ctx.case.subject_code, subject_name=data["subject_name"],
                     subject_category="自然人" if party == "natural_person" else "法人及非法人组织",
                     commitment_type=REPAIR_TYPE, matter=matter[:500], content=content, liability=liability,
                     text=data.get("commitment_text", ""), template_version=None, made_on=today,
                     valid_until=None, verify_on=_verify_on(ctx, record_ids, today), disclosure="public",
                     department_code=ctx.case.department_code, department_name=department_name,
                     deficiency_materials="", status="filed", source="repair",
                     created_at=ctx.now(), updated_at=ctx.now())
    ctx.session.add(row)
    ctx.record("repair_commitment_registered", f"信用修复承诺 {code} 记入承诺台账，修复决定作出后生效",
               after={"code": code, "record_ids": record_ids, "verify_on": row.verify_on.isoformat()})
    return row


def put_repair_commitment_in_force(ctx: StepContext) -> Commitment | None:
    """The repair was granted: its commitment binds from now on, watched by a commitment case
    (承诺—践诺) until its verification date."""
    row = _filed_row(ctx)
    if row is None:
        return None
    row.status, row.updated_at = "confirmed", ctx.now()
    ctx.post_start("commitment", ctx.case.subject_code, {
        "origin": REPAIR_ORIGIN, "commitment_code": row.code, "commitment_type": REPAIR_TYPE,
        "origin_case_id": ctx.case.id, "record_ids": list(row.record_ids or []), "subject_name": row.subject_name,
        "department_name": row.department_name, "disclosure": "public", "matter": row.matter},
        ctx.case.department_code, title=f"{row.subject_name} 信用修复型承诺（{row.code}）")
    ctx.record("repair_commitment_in_force", f"信用修复承诺 {row.code} 生效，纳入践诺监管", after={"code": row.code})
    return row


def void_repair_commitment(ctx: StepContext, status: str) -> Commitment | None:
    """The repair was refused (`rejected`) or withdrawn / lapsed (`withdrawn`): the commitment
    made for it never took effect and is not watched."""
    row = _filed_row(ctx)
    if row is None:
        return None
    row.status, row.updated_at = status, ctx.now()
    ctx.record("repair_commitment_void", f"修复申请未获准，信用修复承诺 {row.code} 不生效", after={"code": row.code,
                                                                                          "status": status})
    return row


def _filed_row(ctx: StepContext) -> Commitment | None:
    """This repair case's commitment while it is still only filed (None before acceptance)."""
    return ctx.session.scalars(select(Commitment).where(Commitment.origin_case_id == ctx.case.id,
                                                        Commitment.status == "filed").with_for_update()).first()


def _verify_on(ctx: StepContext, record_ids: list[int], today: date) -> date:
    """The commitment binds while a broken promise could still re-open a record: until the
    latest maximum end of publicity of its records (else the type's default interval)."""
    latest = ctx.session.scalar(select(func.max(CreditRecord.publicity_max_end)).where(CreditRecord.id.in_(record_ids)))
    if latest is not None and latest > today:
        return latest
    days = ctx.rules.decide("commitment_rules", commitment_type=REPAIR_TYPE, received_at=today.isoformat())
    return today + timedelta(days=int(days["verify_after_days"]))

