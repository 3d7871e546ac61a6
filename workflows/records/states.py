"""State changes of a record made by repair and objection flows (DOMAIN.md §B, §C).

Each writes one history row with before/after and the case id, and nothing is deleted.
Suspension remembers the exact states it replaced, so resuming restores them exactly.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.core.clock import LOCAL_TZ
from workflows.core.errors import Conflict
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory
from .history import record_measures, write_history
from .publicity import local_today, status_for

LIVE_MEASURES = ("active", "suspended")
CHUNK = 500


def stop_publicity(session: Session, record: CreditRecord, actor: str, now: datetime,
                   case_id: int | None, reason: str) -> bool:
    """Repair: publicity ends now (public or suspended → stopped). False if nothing was shown."""
    if record.publicity_status == "revoked":
        raise Conflict("该记录已撤销，不能再终止公示")
    if record.publicity_status not in ("public", "suspended"):
        return False
    before = record.publicity_status
    record.publicity_status, record.updated_at = "stopped", now
    write_history(session, record, actor, now, "publicity_stopped", {"publicity_status": before},
                  {"publicity_status": "stopped", "reason": reason}, case_id)
    return True


def mark_repaired(record: CreditRecord, now: datetime) -> None:
    """A repair covering the record was granted now: its day is kept (the first grant's, never
    cleared) for the repair rate, whether or not the record was still shown."""
    if record.repaired_at is None:
        record.repaired_at = local_today(now)


def reopen_publicity(session: Session, record: CreditRecord, actor: str, now: datetime,
                     case_id: int | None, reason: str) -> bool:
    """A repair undone (its commitment broken, DOMAIN.md §A): a record whose publicity a repair
    stopped is shown again until its maximum end. False when nothing was stopped or the
    maximum period has already ended (nothing left to show)."""
    if record.publicity_status != "stopped":
        return False
    if status_for(record.publicity_start is not None, record.publicity_max_end, local_today(now)) != "public":
        return False
    record.publicity_status, record.updated_at = "public", now
    write_history(session, record, actor, now, "publicity_reopened", {"publicity_status": "stopped"},
                  {"publicity_status": "public", "until": record.publicity_max_end.isoformat()
                   if record.publicity_max_end else None, "reason": reason}, case_id)
    return True


def terminate_measures(session: Session, record: CreditRecord, actor: str, now: datetime,
                       case_id: int | None, reason: str,
                       measure_ids: list[int] | None = None) -> list[PunishmentMeasure]:
    """Lift punishments (active or suspended → terminated); returns the measures changed."""
    measures = [m for m in record_measures(session, record.id)
                if m.state in LIVE_MEASURES and (measure_ids is None or m.id in measure_ids)]
    if not measures:
        return []
    before = {str(m.id): m.state for m in measures}
    _set_measures(measures, "terminated", reason, case_id, now)
    record.updated_at = now
    write_history(session, record, actor, now, "measures_terminated", {"measures": before},
                  {"measures": {str(m.id): m.state for m in measures}, "reason": reason}, case_id)
    return measures


def suspend_record(session: Session, record: CreditRecord, actor: str, now: datetime,
                   case_id: int | None, reason: str) -> None:
    """Objection under verification: publicity suspended, active punishments not enforced."""
    if record.publicity_status in ("suspended", "revoked"):
        state = "已暂停公示" if record.publicity_status == "suspended" else "已撤销"
        raise Conflict(f"该记录{state}，不能再暂停")
    active = [m for m in record_measures(session, record.id) if m.state == "active"]
    before: dict[str, Any] = {"measures": {str(m.id): m.state for m in active}}
    after: dict[str, Any] = {"measures": {str(m.id): "suspended" for m in active}, "reason": reason}
    if record.publicity_status == "public":
        before["publicity_status"], after["publicity_status"] = "public", "suspended"
        record.publicity_status = "suspended"
    _set_measures(active, "suspended", _case_reason(case_id, reason), case_id, now)
    record.updated_at = now
    write_history(session, record, actor, now, "suspended", before, after, case_id)


def resume_record(session: Session, record: CreditRecord, actor: str, now: datetime,
                  case_id: int | None, reason: str = "", *, extend: bool = False) -> None:
    """Restore exactly what the last suspension changed (再公开, punishments resume).

    `extend` moves the publicity end dates by the days spent suspended. A record whose
    maximum period has passed becomes `expired` rather than public again.
    """
    suspension = _open_suspension(session, record, case_id)
    before_states, after_states = suspension.before or {}, suspension.after or {}
    changed_before: dict[str, Any] = {"measures": {}}
    changed_after: dict[str, Any] = {"measures": {}, "reason": reason}
    if after_states.get("publicity_status") == "suspended" and record.publicity_status == "suspended":
        if extend and record.publicity_start is not None:
            _extend(record, suspension.at, now, changed_before, changed_after)
        restored = before_states["publicity_status"]
        if restored == "public":
            restored = status_for(record.publicity_start is not None, record.publicity_max_end, local_today(now))
        changed_before["publicity_status"], changed_after["publicity_status"] = "suspended", restored
        record.publicity_status = restored
    _restore_measures(session, record, before_states.get("measures", {}), case_id, now,
                      changed_before, changed_after)
    record.updated_at = now
    write_history(session, record, actor, now, "resumed", changed_before, changed_after, case_id)


def revoke_record(session: Session, record: CreditRecord, actor: str, now: datetime,
                  case_id: int | None, reason: str) -> None:
    """Objection upheld against the record (撤销): not shown any more, punishments terminated."""
    if record.publicity_status == "revoked":
        raise Conflict("该记录已撤销")
    live = [m for m in record_measures(session, record.id) if m.state in LIVE_MEASURES]
    before = {"publicity_status": record.publicity_status, "measures": {str(m.id): m.state for m in live}}
    record.publicity_status, record.updated_at = "revoked", now
    _set_measures(live, "terminated", reason, case_id, now)
    after = {"publicity_status": "revoked", "measures": {str(m.id): "terminated" for m in live},
             "reason": reason}
    write_history(session, record, actor, now, "revoked", before, after, case_id)


def expire_due_records(session: Session, today: date, now: datetime | None = None,
                       actor: str = "system") -> int:
    """Public records whose maximum period has ended become `expired`; idempotent, in bulk."""
    now = now or datetime.combine(today, time.min, LOCAL_TZ)
    due = (CreditRecord.publicity_status == "public", CreditRecord.publicity_max_end <= today)
    ids = list(session.scalars(select(CreditRecord.id).where(*due)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        session.execute(update(CreditRecord).where(CreditRecord.id.in_(chunk), *due)
                        .values(publicity_status="expired", updated_at=now)
                        .execution_options(synchronize_session="fetch"))
        session.execute(RecordHistory.__table__.insert(), [
            {"record_id": i, "case_id": None, "at": now, "actor": actor, "action": "expired",
             "before": {"publicity_status": "public"}, "after": {"publicity_status": "expired"}}
            for i in chunk])
    return len(ids)


def _open_suspension(session: Session, record: CreditRecord, case_id: int | None) -> RecordHistory:
    query = (select(RecordHistory).where(RecordHistory.record_id == record.id,
                                         RecordHistory.action.in_(("suspended", "resumed")))
             .order_by(RecordHistory.id.desc()).limit(1))
    last = session.scalars(query).first()
    if last is None or last.action != "suspended":
        raise Conflict("该记录未被暂停，无需恢复")
    if case_id is not None and last.case_id is not None and last.case_id != case_id:
        raise Conflict(f"该记录由案件 {last.case_id} 暂停，只能由该案件恢复")
    return last


def _extend(record: CreditRecord, since: datetime, now: datetime, before: dict, after: dict) -> None:
    days = (local_today(now) - local_today(since)).days
    if days <= 0:
        return
    for name in ("publicity_min_end", "publicity_max_end"):
        old = getattr(record, name)
        if old is not None:
            setattr(record, name, old + timedelta(days=days))
            before[name], after[name] = old.isoformat(), getattr(record, name).isoformat()
    after["extended_days"] = days


def _restore_measures(session: Session, record: CreditRecord, states: dict[str, str],
                      case_id: int | None, now: datetime, before: dict, after: dict) -> None:
    for measure in record_measures(session, record.id):
        previous = states.get(str(measure.id))
        if previous is None or measure.state != "suspended":
            continue
        before["measures"][str(measure.id)], after["measures"][str(measure.id)] = "suspended", previous
        _set_measures([measure], previous, "", case_id, now)


def _set_measures(measures: list[PunishmentMeasure], state: str, reason: str,
                  case_id: int | None, now: datetime) -> None:
    for measure in measures:
        measure.state, measure.reason, measure.changed_at = state, reason[:300], now
        measure.case_id = case_id


def _case_reason(case_id: int | None, reason: str) -> str:
    prefix = f"异议案件 {case_id} 核查期间暂停执行" if case_id is not None else "核查期间暂停执行"
    return f"{prefix}：{reason}" if reason else prefix
