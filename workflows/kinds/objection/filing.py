"""Objections (异议): filing, and the forms of the first review and the verification.

The flow is `bpmn/objection.bpmn`; its service tasks are in `actions/objection.py`. Filing
and the suspension of the records happen in one transaction (the first service task runs
inside `start_case`), so either both happen or neither does.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput, RuleViolation
from workflows.core.limits import choice, id_list, text_field
from workflows.core.models.cases import Case
from workflows.core.models.records import CreditRecord
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.kinds.common.filing import (
    MAX_TEXT,
    checked_subject,
    record_summary,
    records_of,
)
from workflows.kinds.common.case_files import Upload, checked_uploads, store_uploads
from workflows.kinds.common.filing_eligibility import open_case_by_record
from workflows.kinds.objection.vocabulary import KIND, TARGETS
from workflows.people.access import Actor


def file_objection(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                   describe: Describe | None = None, uploads: Sequence[Upload] = ()) -> Case:
    """Open an objection against records of one subject (the applicant, or staff for a walk-in),
    with its evidence files: checked first, stored with the case (a refused file files nothing)."""
    code = checked_subject(actor, subject_code, "只能为本主体提出异议")
    data = _objection_form(form)
    files = checked_uploads(uploads)

    def prepare(session: Session) -> Opening:
        records = records_of(session, code, data["record_ids"])
        _refuse_repeats(session, code, records)
        title = f"{records[0].subject_name} 异议（{records[0].decision_no}）"
        return Opening({"record_summaries": [record_summary(r) for r in records], "subject_name": records[0].subject_name,
                        "filed_by": actor.username}, records[0].department_code, title[:300],
                       with_case=store_uploads(files, actor, engine.clock.now()) if files else None)

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _refuse_repeats(session: Session, code: str, records: list[CreditRecord]) -> None:
    """One objection at a time per record: a repeat is refused before a case row exists. The
    flow's first step checks again under the records' locks (two filings at the same moment)."""
    running = open_case_by_record(session, code, ("objection",))
    for record in records:
        if record.id in running:
            raise RuleViolation(f"记录 {record.decision_no} 已有正在办理的异议，请勿重复提出",
                                {"record_ids": "该记录已有在办异议"})


def _objection_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("异议申请格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    ids = id_list(form.get("record_ids"), "record_ids", "提出异议的信用记录", errors=errors)
    target = choice(form.get("target"), "target", "异议对象", TARGETS, errors=errors)
    claim = text_field(form.get("claim"), "claim", "异议请求和理由", MAX_TEXT, required=True, errors=errors)
    evidence = text_field(form.get("evidence"), "evidence", "证据说明", MAX_TEXT, errors=errors)
    if errors:
        raise InvalidInput("异议申请不完整", errors)
    return {"record_ids": ids, "target": target, "claim": claim, "evidence": evidence}


def objection_records(session: Session, case: Case) -> list[CreditRecord]:
    from sqlalchemy import select

    from workflows.core.models.records import CaseRecord
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == case.id).order_by(CreditRecord.id))
    return list(session.scalars(query))
