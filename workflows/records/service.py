"""Creating and amending credit records: plain functions over a Session that never commit.

The caller owns the transaction (API request, staff form, flow step), so a rejected
request changes nothing. Regime and publicity window come from the DMN tables.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.errors import Conflict, InvalidInput
from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord, PunishmentMeasure
from workflows.engine.rules import RuleBook
from workflows.people.subjects import register_subject
from .case_regimes import refresh_for_record
from .departments import require_registered_department
from .history import json_value, snapshot, write_history
from .publicity import local_today, publicity_for, repairability_for
from .validation import PUBLIC_KINDS, SYSTEM_KINDS, checked_record, clean_record

RECORD_FIELDS = ("subject_code", "subject_name", "kind", "severity", "category", "sector", "misconduct_category",
                 "non_repairable", "decision_no", "decision_date", "department_code",
                 "department_name", "facts", "basis", "content", "fine_amount")
# Fields a correction (objection outcome 更正, staff amendment) may change.
AMENDABLE = ("subject_name", "severity", "category", "sector", "misconduct_category", "non_repairable", "decision_no",
             "decision_date", "department_name", "facts", "basis", "content", "fine_amount")
PERIOD_FIELDS = ("decision_date", "severity", "sector", "misconduct_category")
SHOWN_STATES = ("public", "expired", "not_published")  # statuses the rules decide alone


def create_record(session: Session, rules: RuleBook, data: dict[str, Any], actor: str, now: datetime,
                  source: str = "api") -> CreditRecord:
    """Validate, register an unknown subject, judge regime and window, write history.

    `source="system"` (the flows) may also write interview_record and commitment entries; their
    department comes from the case, so only people's input is held to a registered department.
    """
    system = source == "system"
    clean = checked_record(data, today=local_today(now), lenient_text=system,
                           kinds=PUBLIC_KINDS + SYSTEM_KINDS if system else PUBLIC_KINDS)
    clean["subject_name"] = _subject_name(session, clean, now)
    if not system:
        require_registered_department(session, clean["department_code"])
    _check_unique(session, clean["kind"], clean["decision_no"], clean["subject_code"])
    record = CreditRecord(**{k: clean[k] for k in RECORD_FIELDS}, source=source, created_by=actor,
                          created_at=now, updated_at=now)
    _apply_publicity(record, rules, local_today(now))
    session.add(record)
    _flush(session)
    measures = [PunishmentMeasure(record_id=record.id, state="active", changed_at=now, **m)
                for m in clean["measures"]]
    session.add_all(measures)
    session.flush()
    write_history(session, record, actor, now, "created", None, snapshot(record, measures))
    return record


def amend_record(session: Session, record: CreditRecord, changes: dict[str, Any], actor: str,
                 now: datetime, case_id: int | None = None, reason: str = "", *,
                 rules: RuleBook) -> dict[str, Any]:
    """Correct fields one by one; old values stay in history. Returns {field: new value}.

    A new decision date, severity or sector re-judges the regime and publicity window; the
    status follows unless the record is suspended, stopped or revoked (those keep theirs).
    """
    merged = _merged(record, changes)
    clean, errors = clean_record(merged, today=local_today(now), kinds=(record.kind,), lenient_text=True)
    if errors:
        raise InvalidInput("更正内容不正确", errors)
    changed = {k: clean[k] for k in changes if getattr(record, k) != clean[k]}
    if not changed:
        return {}
    if "decision_no" in changed:
        _check_unique(session, record.kind, changed["decision_no"], record.subject_code)
    before = {k: json_value(getattr(record, k)) for k in changed}
    for key, value in changed.items():
        setattr(record, key, value)
    if set(changed) & set(PERIOD_FIELDS):
        period_before = _period(record)
        _apply_publicity(record, rules, local_today(now), keep_status=record.publicity_status not in SHOWN_STATES)
        if record.regime != period_before["regime"]:
            refresh_for_record(session, record)
        before.update({k: v for k, v in period_before.items() if v != json_value(getattr(record, k))})
    record.updated_at = now
    after = {k: json_value(getattr(record, k)) for k in before}
    write_history(session, record, actor, now, "amended", before, {**after, "reason": reason}, case_id)
    return {k: getattr(record, k) for k in before}


def earliest_repair_date(record: CreditRecord, rules: RuleBook | None = None) -> date | None:
    """The first day a repair may be requested: the end of the minimum publicity period."""
    return record.publicity_min_end


def _merged(record: CreditRecord, changes: Any) -> dict[str, Any]:
    if not isinstance(changes, dict) or not changes:
        raise InvalidInput("请说明要更正的内容", {"changes": "应为非空对象"})
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        raise InvalidInput("这些字段不能更正", {k: "不能更正" for k in unknown})
    current = {k: getattr(record, k) for k in RECORD_FIELDS}
    current["measures"] = None
    return {**current, **changes}


def _period(record: CreditRecord) -> dict[str, Any]:
    names = ("regime", "publicity_status", "publicity_start", "publicity_min_end", "publicity_max_end",
             "category_non_repairable", "non_repairable_reason")
    return {k: json_value(getattr(record, k)) for k in names}


def _apply_publicity(record: CreditRecord, rules: RuleBook, today: date, keep_status: bool = False) -> None:
    publicity = publicity_for(rules, record.decision_date, record.kind, record.severity, record.sector)
    record.regime = publicity.regime
    record.publicity_start, record.publicity_min_end = publicity.start, publicity.min_end
    record.publicity_max_end = publicity.max_end
    record.category_non_repairable, record.non_repairable_reason = repairability_for(
        rules, publicity.regime, record.misconduct_category, record.sector)
    if not keep_status:
        record.publicity_status = publicity.status(today)


def _subject_name(session: Session, clean: dict[str, Any], now: datetime) -> str:
    subject = session.get(Subject, clean["subject_code"])
    if subject is not None:
        return clean["subject_name"] or subject.name
    if not clean["subject_name"]:
        raise InvalidInput("该主体尚未登记，请填写主体名称", {"subject_name": "请填写主体名称"})
    register_subject(session, clean["subject_code"], clean["subject_name"], now)
    return clean["subject_name"]


def _check_unique(session: Session, kind: str, decision_no: str, subject_code: str) -> None:
    query = select(CreditRecord.id).where(CreditRecord.kind == kind, CreditRecord.decision_no == decision_no,
                                          CreditRecord.subject_code == subject_code)
    existing = session.scalars(query).first()
    if existing is not None:
        raise Conflict(f"该主体已有文号为“{decision_no}”的同类记录（记录 {existing}）",
                       {"decision_no": "文号重复"})


def _flush(session: Session) -> None:
    """A concurrent insert of the same record loses the race on the unique constraint."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("同一记录已被同时登记，请刷新后核对", {"decision_no": "文号重复"}) from exc

