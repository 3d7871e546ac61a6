"""Filing a credit-repair request (信用修复).

The flow itself is `bpmn/repair.bpmn`; its service tasks are in `actions.py`, its task
forms in `tasks.py`.
Filing checks what a form can check (who, which records, the commitment) and leaves the
legal eligibility rules to the flow's DMN, so a refusal is a letter, not an HTTP error.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workflows.core import limits
from workflows.core.clock import to_local
from workflows.core.errors import InvalidInput, RuleViolation
from workflows.core.limits import id_list, text_field
from workflows.core.models.cases import Case
from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.kinds.common.case_files import Upload, checked_uploads, store_uploads
from workflows.kinds.common.filing import (
    MAX_TEXT,
    check_records,
    checked_subject,
    record_summary,
)
from workflows.kinds.repair.commitment_text import (
    REPAIR_COMMITMENT_VERSION,
    repair_commitment_text,
)
from workflows.kinds.repair.facts import eligibility_facts
from workflows.kinds.repair.vocabulary import KIND
from workflows.people.access import Actor

REFUSED_UP_FRONT = frozenset({"open_case", "not_a_dishonesty_record"})  # DMN reason codes answered 422
NO_CASE = 0  # the filing's own case does not exist yet: no case id to leave out of the facts


def file_repair(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                describe: Describe | None = None, uploads: Sequence[Upload] = ()) -> Case:
    """Open a repair case for records of one subject (the applicant's own, or by staff), with
    its files: checked first, stored with the case, so a refused file files nothing."""
    code = checked_subject(actor, subject_code, "只能为本主体申请信用修复")
    data = _repair_form(form)
    files = checked_uploads(uploads)

    def prepare(session: Session) -> Opening:
        records, subject = _filed_rows(session, code, data["record_ids"])
        _refuse_repeats(engine, session, records)
        title = f"{records[0].subject_name} 信用修复（{records[0].decision_no}）"
        return Opening({"commitment_text": repair_commitment_text(), "commitment_version": REPAIR_COMMITMENT_VERSION,
                        "record_summaries": [record_summary(r) for r in records], "subject_name": records[0].subject_name},
                       records[0].department_code, title[:300], loaded=[*records, subject],
                       with_case=store_uploads(files, actor, engine.clock.now()) if files else None)

    return engine.start_case(KIND, code, data, actor, prepare=prepare, describe=describe)


def _refuse_repeats(engine: CaseEngine, session: Session, records: list[CreditRecord]) -> None:
    """Refusals that say "this is not a new repair request" (a case already runs for the record,
    or the record is no dishonesty record) answer 422 before a case, a letter or a number
    exists: a repeated filing must not mint a numbered refusal each time. Refusals that judge
    a request on the law (minimum period, repeat limits, refused interview, not repairable)
    stay 不予受理 letters from the flow. The DMN stays the one statement of every rule; this
    only asks it early, under the records' locks taken by `_filed_rows`."""
    rules = engine.rules_for(session, engine.specs.current.id)
    today = to_local(engine.clock.now()).date()
    for record in records:
        verdict = rules.decide("repair_eligibility", **eligibility_facts(session, record, NO_CASE, today, rules))
        if verdict["reason_code"] in REFUSED_UP_FRONT:
            raise RuleViolation(f"{record.decision_no}：{verdict['reason']}", {"record_ids": verdict["reason"]})


def _repair_form(form: Any) -> dict[str, Any]:
    if not isinstance(form, dict):
        raise InvalidInput("申请内容格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    ids = id_list(form.get("record_ids"), "record_ids", "要修复的信用记录", errors=errors)
    reason = text_field(form.get("reason"), "reason", "申请理由", MAX_TEXT, required=True, errors=errors)
    rectification = text_field(form.get("rectification"), "rectification", "整改情况说明", MAX_TEXT,
                               required=True, errors=errors)
    if form.get("commitment_accepted") is not True:
        errors["commitment_accepted"] = "须阅读并同意信用承诺书"
    certificate = text_field(form.get("training_certificate_no"), "training_certificate_no", "培训证明编号",
                             limits.NAME, errors=errors)
    if errors:
        raise InvalidInput("信用修复申请不完整", errors)
    return {"record_ids": ids, "reason": reason, "rectification": rectification, "commitment_accepted": True,
            "training_certificate_no": certificate or None}


def _filed_rows(session: Session, code: str, ids: list[int]) -> tuple[list[CreditRecord], Subject | None]:
    """A filing's records, locked, and their subject in the same statement (the case's
    description names it): both stay in the session for the step that follows."""
    rows = session.execute(FILED_ROWS, {"ids": ids}).all()
    check_records(code, ids, [record for record, _subject in rows])
    return [record for record, _subject in rows], (rows[0][1] if rows else None)


FILED_ROWS = (select(CreditRecord, Subject).outerjoin(Subject, Subject.code == CreditRecord.subject_code)
              .where(CreditRecord.id.in_(bindparam("ids", expanding=True))).order_by(CreditRecord.id)
              .with_for_update(of=CreditRecord))  # built once: filing is a hot path



