"""Early warning of credit risk (DOMAIN.md §D, Xiamen seed §24): a subject over a threshold of the
`warning_thresholds` DMN table gets one open warning, in the inbox of every department of its evidence.

The scan is a plain idempotent function (DESIGN.md principle 6): the database counts (GROUP BY/HAVING)
and a repeated scan refreshes the subject's open warning instead of adding one. Choices the seed leaves
open: the window holds penalties decided `penalty_window_days` days before the scan date or later (day
365 counts, day 366 does not); revoked penalties never count, repaired ones do; departments are counted
over the same window (an old penalty says little about the risk today); list entries count while public
or suspended; a scan adds departments to an inbox, never removes one and never closes a warning:
closing follows the interview and is a person's decision.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import distinct, func, insert, or_, select, text
from sqlalchemy.orm import Session

from workflows.people.access import Actor
from workflows.core.paging import newest_first
from workflows.core.clock import as_utc, to_local
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.identifiers import mask_subject_code
from workflows.core.limits import text_field
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department, Subject
from workflows.people.permissions import allows
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning, WarningDepartment
from workflows.engine.rules import RuleBook, RuleError

EVIDENCE_CAP = 500  # record ids kept per warning; the total is stored beside them
CHUNK = 500  # subjects (or records) per IN list
LISTED = (CreditRecord.kind == "serious_list", CreditRecord.publicity_status.in_(("public", "suspended")))
NOTE_MAX = 500
SCAN_LOCK_KEY = 0x45574152  # PostgreSQL advisory lock: one scan at a time
RULES = {"penalty_count": "penalties", "department_count": "departments", "serious_list_count": "serious_lists"}
PENALTY_RULES = {"penalty_count", "department_count"}  # rules whose evidence is penalties
Evidence = tuple[list[int], set[str]]  # record ids (capped), departments (all)


def thresholds_for(rules: RuleBook, scan_date: date) -> dict[str, int]:
    """The figures in force on `scan_date`, from the DMN table (configurable, DOMAIN.md §D)."""
    outputs = rules.decide("warning_thresholds", scan_date=scan_date)
    try:
        return {name: int(outputs[name]) for name in (*RULES, "penalty_window_days")}
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError(f"决策表 warning_thresholds 的输出不完整或不是整数：{exc}") from exc


@dataclass
class ScanReport:
    scan_date: date
    thresholds: dict[str, int]
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "scan_date": self.scan_date.isoformat()}

    def summary(self) -> str:
        return (f"{self.scan_date.isoformat()} 预警扫描：{self.new + self.updated + self.unchanged} 个主体达到"
                f"预警条件，新增 {self.new} 条，更新 {self.updated} 条，未变 {self.unchanged} 条")


@dataclass
class WarningPage:
    items: list[EarlyWarning]
    departments: dict[int, list[str]]  # warning id -> department codes of its inbox
    next_cursor: int | None
    total: int = 0
    prev_cursor: int | None = None  # the first id of the page, to page back (`newer`)


def scan_warnings(session: Session, rules: RuleBook, now: datetime, actor: str = "system") -> ScanReport:
    """Create or refresh the open warning of every subject over a threshold; never commits."""
    today = to_local(now).date()
    report = ScanReport(today, thresholds_for(rules, today))
    if session.get_bind().dialect.name == "postgresql":  # SQLite write transactions queue already
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCAN_LOCK_KEY})
    figures = _over_thresholds(session, today, report.thresholds)
    codes = sorted(figures)
    for start in range(0, len(codes), CHUNK):
        _apply(session, {code: figures[code] for code in codes[start:start + CHUNK]}, today, report, now)
    if report.new or report.updated:
        session.add(CaseEvent(case_id=None, kind="warning_scan", actor=actor, at=as_utc(now),
                              summary=report.summary(), after=report.as_dict()))
    session.flush()
    return report


def _penalised(today: date, th: dict[str, int]) -> tuple:
    since = today - timedelta(days=th["penalty_window_days"])
    return (CreditRecord.kind == "penalty", CreditRecord.decision_date >= since,
            CreditRecord.decision_date <= today, CreditRecord.publicity_status != "revoked")


def _over_thresholds(session: Session, today: date, th: dict[str, int]) -> dict[str, dict[str, int]]:
    """subject code -> {"penalties", "departments", "serious_lists"} for subjects over a threshold."""
    count, departments = func.count(), func.count(distinct(CreditRecord.department_code))
    found: dict[str, dict[str, int]] = {}
    penalties = (select(CreditRecord.subject_code, count, departments).where(*_penalised(today, th))
                 .group_by(CreditRecord.subject_code)
                 .having(or_(count >= th["penalty_count"], departments >= th["department_count"])))
    for code, n, d in session.execute(penalties):
        found[code] = {"penalties": n, "departments": d}
    listed = (select(CreditRecord.subject_code, count).where(*LISTED)
              .group_by(CreditRecord.subject_code).having(count >= th["serious_list_count"]))
    for code, n in session.execute(listed):
        found.setdefault(code, {})["serious_lists"] = n
    return found


def _reasons(figures: dict[str, int], th: dict[str, int]) -> dict[str, dict[str, int]]:
    """Which rules fired, with the figure, the threshold and (for penalties) the window."""
    reasons = {}
    for rule, figure in RULES.items():
        if figures.get(figure, 0) >= th[rule]:
            window = {"window_days": th["penalty_window_days"]} if rule in PENALTY_RULES else {}
            reasons[rule] = {"count": figures[figure], "threshold": th[rule], **window}
    return reasons


def _evidence(session: Session, condition: tuple, codes: list[str]) -> dict[str, Evidence]:
    """Per subject: the newest `EVIDENCE_CAP` record ids matching `condition`, and every department.

    Only (subject, id, department) of these (at most `CHUNK`) subjects over a threshold are read."""
    found: dict[str, Evidence] = {code: ([], set()) for code in codes}
    query = (select(CreditRecord.subject_code, CreditRecord.id, CreditRecord.department_code)
             .where(*condition, CreditRecord.subject_code.in_(codes))
             .order_by(CreditRecord.subject_code, CreditRecord.decision_date.desc(), CreditRecord.id.desc()))
    for code, record_id, department in session.execute(query):
        ids, departments = found[code]
        if len(ids) < EVIDENCE_CAP:
            ids.append(record_id)
        departments.add(department)
    return found


def _apply(session: Session, chunk: dict[str, dict[str, int]], today: date, report: ScanReport,
           now: datetime) -> None:
    """Create or refresh the warnings of one chunk of subjects (a few queries for all of them)."""
    reasons = {code: _reasons(figures, report.thresholds) for code, figures in chunk.items()}
    penalised = _evidence(session, _penalised(today, report.thresholds),
                          [code for code, fired in reasons.items() if fired.keys() & PENALTY_RULES])
    listed = _evidence(session, LISTED, [code for code, fired in reasons.items() if "serious_list_count" in fired])
    names = dict(session.execute(select(Subject.code, Subject.name).where(Subject.code.in_(list(chunk)))).all())
    current = {}  # subject -> its open warning (the oldest, should two ever exist)
    opened = select(EarlyWarning).where(EarlyWarning.status == "open", EarlyWarning.subject_code.in_(list(chunk)))
    for warning in session.scalars(opened.order_by(EarlyWarning.id.desc())):
        current[warning.subject_code] = warning
    inboxes = _inboxes(session, [w.id for w in current.values()])
    created, inbox_rows = [], []
    for code, figures in chunk.items():
        evidence, departments = _finding(figures, listed.get(code), penalised.get(code))
        warning = current.get(code)
        if warning is None:
            created.append((EarlyWarning(subject_code=code, subject_name=names.get(code, code), status="open",
                                         reasons=reasons[code], evidence=evidence, created_at=now, updated_at=now),
                            departments))
            continue
        missing = departments - inboxes.get(warning.id, set())
        inbox_rows += [{"warning_id": warning.id, "department_code": d} for d in sorted(missing)]
        if warning.reasons == reasons[code] and warning.evidence == evidence and not missing:
            report.unchanged += 1
        else:
            warning.reasons, warning.evidence, warning.updated_at = reasons[code], evidence, now
            report.updated += 1
    session.add_all([warning for warning, _departments in created])
    session.flush()
    report.new += len(created)
    inbox_rows += [{"warning_id": w.id, "department_code": d} for w, deps in created for d in sorted(deps)]
    if inbox_rows:
        session.execute(insert(WarningDepartment), inbox_rows)


def _finding(figures: dict[str, int], listed: Evidence | None, penalised: Evidence | None) -> tuple[dict, set[str]]:
    """Evidence of the rules that fired: list entries first, then penalties newest first."""
    list_ids, list_departments = listed or ([], set())
    penalty_ids, penalty_departments = penalised or ([], set())
    total = (figures.get("serious_lists", 0) if listed else 0) + (figures.get("penalties", 0) if penalised else 0)
    return ({"record_ids": (list_ids + penalty_ids)[:EVIDENCE_CAP], "total": total},
            list_departments | penalty_departments)


def _inboxes(session: Session, warning_ids: list[int]) -> dict[int, set[str]]:
    inboxes: dict[int, set[str]] = {}
    query = select(WarningDepartment.warning_id, WarningDepartment.department_code)
    for warning_id, code in session.execute(query.where(WarningDepartment.warning_id.in_(warning_ids))):
        inboxes.setdefault(warning_id, set()).add(code)
    return inboxes


def department_scope(actor: Actor) -> str | None:
    """None: the actor sees every warning; else the one department whose inbox it sees."""
    if allows(actor, "may_read_all_warnings"):  # the system actor too
        return None
    if allows(actor, "may_read_warnings") and actor.department_code:
        return actor.department_code
    raise Forbidden("只有信用办、审核人员和认定部门可以查看信用风险预警")


def list_warnings(session: Session, department_code: str | None = None, status: str | None = "open",
                  limit: int = 50, cursor: int | None = None, newer: int | None = None) -> WarningPage:
    """Newest first, with the total; `department_code` limits to that department's inbox,
    `cursor` to older ids, `newer` to the page just before (newer ids)."""
    if status not in ("open", "closed", None):
        raise InvalidInput("预警状态只能是 open 或 closed", {"status": "应为 open 或 closed"})
    query = select(EarlyWarning).where(*_in_inbox(department_code))
    query = query.where(EarlyWarning.status == status) if status else query
    page = newest_first(session, query, EarlyWarning.id, limit, cursor, newer)
    inboxes = _inboxes(session, [w.id for w in page.items])
    return WarningPage(page.items, {w.id: sorted(inboxes.get(w.id, ())) for w in page.items}, page.older,
                       page.total, page.newer)


def get_warning(session: Session, warning_id: int, department_code: str | None = None,
                lock: bool = False) -> EarlyWarning:
    """The warning, or NotFound — also when it is not in `department_code`'s inbox (no leak)."""
    query = select(EarlyWarning).where(EarlyWarning.id == warning_id, *_in_inbox(department_code))
    warning = session.scalars(query.with_for_update() if lock else query).first()
    if warning is None:
        raise NotFound("信用风险预警不存在")
    return warning


def _in_inbox(department_code: str | None) -> tuple:
    inbox = select(WarningDepartment.warning_id).where(WarningDepartment.department_code == department_code)
    return () if department_code is None else (EarlyWarning.id.in_(inbox),)


def close_warning(session: Session, warning_id: int, actor: str, now: datetime, note: str,
                  department_code: str | None = None) -> EarlyWarning:
    """Close an open warning (after the interview) with the reason why; audited, never commits."""
    note = text_field(note, "note", "关闭预警的说明", NOTE_MAX)
    if not note:
        raise InvalidInput(f"请填写关闭预警的说明（不超过{NOTE_MAX}字）", {"note": "必填"})
    warning = get_warning(session, warning_id, department_code, lock=True)
    if warning.status != "open":
        raise Conflict("该预警已关闭")
    warning.status, warning.closed_at, warning.closed_by, warning.updated_at = "closed", now, actor, now
    warning.evidence = {**warning.evidence, "close_note": note}  # the model has no column for it
    session.add(CaseEvent(case_id=None, kind="warning_closed", actor=actor, at=as_utc(now), before={"status": "open"},
                          after={"warning_id": warning.id, "status": "closed", "note": note},
                          summary=f"关闭信用风险预警 #{warning.id}（{warning.subject_name}）：{note}"[:500]))
    session.flush()
    return warning


def evidence_records(session: Session, warnings: list[EarlyWarning],
                     per_warning: int = EVIDENCE_CAP) -> dict[int, list[dict[str, Any]]]:
    """warning id -> its first evidence records (decision no, department, date, kind, status)."""
    wanted = {w.id: list(w.evidence.get("record_ids", []))[:per_warning] for w in warnings}
    ids = sorted({record_id for record_ids in wanted.values() for record_id in record_ids})
    columns = (CreditRecord.id, CreditRecord.kind, CreditRecord.decision_no, CreditRecord.decision_date,
               CreditRecord.department_code, CreditRecord.department_name, CreditRecord.publicity_status)
    rows = {row.id: {**row._asdict(), "decision_date": row.decision_date.isoformat()}
            for row in session.execute(select(*columns).where(CreditRecord.id.in_(ids)))}
    return {wid: [rows[i] for i in record_ids if i in rows] for wid, record_ids in wanted.items()}


def warning_summary(warning: EarlyWarning, departments: list[str], show_personal: bool = False) -> dict[str, Any]:
    """A list entry; resident ID numbers are masked unless `show_personal` (DOMAIN.md §E)."""
    code = warning.subject_code if show_personal else mask_subject_code(warning.subject_code)
    times = {name: _iso(getattr(warning, name)) for name in ("created_at", "updated_at", "closed_at")}
    return {"id": warning.id, "status": warning.status, "subject_code": code, "subject_name": warning.subject_name,
            "reasons": warning.reasons, "evidence_total": warning.evidence.get("total", 0), "departments": departments,
            **times, "closed_by": warning.closed_by, "close_note": warning.evidence.get("close_note")}


def warning_document(session: Session, warning_id: int, department_code: str | None = None,
                     show_personal: bool = True) -> dict[str, Any]:
    """One warning with its departments (code and name) and its evidence records."""
    warning = get_warning(session, warning_id, department_code)
    codes = sorted(_inboxes(session, [warning.id]).get(warning.id, ()))
    names = dict(session.execute(select(Department.code, Department.name).where(Department.code.in_(codes))).all())
    document = warning_summary(warning, [{"code": c, "name": names.get(c, c)} for c in codes], show_personal)
    return {**document, "records": evidence_records(session, [warning])[warning.id]}


def _iso(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment else None
