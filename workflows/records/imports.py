"""Bulk import of administrative-penalty records (双公示 spreadsheets: CSV or XLSX).

Every row is checked by the same checker as `POST /api/v1/records`; the report lists each
problem by row number, column and Chinese message. Nothing is stored if any row is bad,
unless `skip_invalid` is set. Rows are written in bulk (executemany with RETURNING), never
one ORM object at a time: 100k rows take seconds, not hours.
"""
from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.errors import Conflict
from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory
from workflows.core.store import Store
from workflows.engine.rules import RuleBook
from workflows.records.departments import UNREGISTERED, active_codes
from workflows.records.publicity import Publicity, local_today, publicity_for, repairability_for
from workflows.records.spreadsheet import Row, read_table
from workflows.records.validation import (
    MISCONDUCT_NAMES,
    SECTOR_NAMES,
    SEVERITY_NAMES,
    clean_record,
    to_decimal,
)

Progress = Callable[[str, int, int], None]  # (phase "validate" | "write", done, total)
CHUNK = 2000
SEVERITY_KEYS = {name: key for key, name in SEVERITY_NAMES.items()} | {k: k for k in SEVERITY_NAMES}
SECTOR_KEYS = {name: key for key, name in SECTOR_NAMES.items()} | {k: k for k in SECTOR_NAMES}
TEN_THOUSAND = Decimal(10000)
# Core tables, not ORM bulk inserts: the ORM splits a batch wherever the pattern of NULL
# columns changes (published vs. not-published rows), which made batches of ~5 rows.
RECORDS = CreditRecord.__table__


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number; the header is row 1 (or where the header was found)
    column: str
    message: str


@dataclass
class ImportReport:
    file: str
    total: int = 0
    imported: int = 0
    new_subjects: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})

    def write_csv(self, path: Path) -> None:
        """The error list for people: UTF-8 with BOM so that Excel shows the Chinese."""
        with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["行号", "列", "问题"])
            writer.writerows((e.row, e.column, e.message) for e in self.errors)


def import_records(session: Session, rules: RuleBook, path: Path | str, actor: str, now: datetime,
                   skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Validate every row, then insert subjects, records, measures and history in bulk.

    Never commits. With errors and without `skip_invalid` nothing is written.
    """
    path = Path(path)
    report = ImportReport(file=path.name)
    table = read_table(path)
    report.total = len(table.rows)
    report.errors.extend(RowError(*problem) for problem in table.problems)
    if report.errors:
        return report
    good = _validate(session, table.rows, table.labels, local_today(now), report, progress or _quiet)
    if report.errors and not skip_invalid:
        return report
    _write(session, rules, good, path.name, actor, now, report, progress or _quiet)
    return report


# -- validating ------------------------------------------------------------------------------

def _validate(session: Session, rows: list[Row], labels: dict[str, str], today: date,
              report: ImportReport, progress: Progress) -> list[tuple[Row, dict[str, Any]]]:
    good, seen = [], {}
    for count, row in enumerate(rows, start=1):
        clean, errors = _check_row(row.values, today)
        key = (clean.get("decision_no"), clean.get("subject_code"))
        if not errors and key in seen:
            errors["decision_no"] = f"与第{seen[key]}行重复（同一主体同一文号）"
        elif not errors:
            seen[key] = row.number
        for name, message in errors.items():
            report.errors.append(RowError(row.number, labels.get(name.split("[")[0], name), message))
        if not errors:
            good.append((row, clean))
        if count % CHUNK == 0 or count == len(rows):
            progress("validate", count, len(rows))
    return _drop_existing(session, _drop_unregistered(session, good, labels, report), labels, report)


def _drop_unregistered(session: Session, good: list[tuple[Row, dict[str, Any]]], labels: dict[str, str],
                       report: ImportReport) -> list[tuple[Row, dict[str, Any]]]:
    """Rows whose deciding department is not a registered, active department are row errors."""
    known = active_codes(session, (clean["department_code"] for _row, clean in good))
    for row, clean in good:
        if clean["department_code"] not in known:
            report.errors.append(RowError(row.number, labels.get("department_code", "department_code"), UNREGISTERED))
    return [(row, clean) for row, clean in good if clean["department_code"] in known]


def _check_row(values: dict[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    data = dict(values, kind="penalty")
    severity = values.get("severity")
    data["severity"] = SEVERITY_KEYS.get(severity or "一般", severity)
    sector = values.get("sector")
    data["sector"] = SECTOR_KEYS.get(sector, sector) if sector else ""
    data["misconduct_category"] = values.get("misconduct_category") or ""
    measures = values.get("measures")
    data["measures"] = [{"name": m.strip()} for m in unicodedata.normalize("NFKC", measures).split(";")
                        if m.strip()] if isinstance(measures, str) else None
    if values.get("fine_wan") not in (None, "") and values.get("fine_amount") in (None, ""):
        wan = to_decimal(values["fine_wan"])
        data["fine_amount"] = wan * TEN_THOUSAND if wan is not None else values["fine_wan"]
        fine_column = "fine_wan"
    else:
        fine_column = "fine_amount"
    clean, errors = clean_record(data, today=today, kinds=("penalty",))
    if not clean.get("subject_name") and "subject_name" not in errors:
        errors["subject_name"] = "请填写行政相对人名称"
    if "severity" in errors:
        errors["severity"] = "严重程度应为“轻微”“一般”或“严重”（不填按一般）"
    if "sector" in errors:
        errors["sector"] = f"行业领域应为：{'、'.join(SECTOR_NAMES.values())}"
    if "misconduct_category" in errors:
        errors["misconduct_category"] = f"失信行为类别应为：{'、'.join(MISCONDUCT_NAMES.values())}（或不填）"
    if "fine_amount" in errors and fine_column == "fine_wan":
        errors["fine_wan"] = errors.pop("fine_amount")
    return clean, errors


def _drop_existing(session: Session, good: list[tuple[Row, dict[str, Any]]], labels: dict[str, str],
                   report: ImportReport) -> list[tuple[Row, dict[str, Any]]]:
    """Rows already stored (same subject, same decision number) are errors, not duplicates."""
    existing: set[tuple[str, str]] = set()
    numbers = sorted({clean["decision_no"] for _row, clean in good})
    for start in range(0, len(numbers), 500):
        query = select(CreditRecord.decision_no, CreditRecord.subject_code).where(
            CreditRecord.kind == "penalty", CreditRecord.decision_no.in_(numbers[start:start + 500]))
        existing.update((no, code) for no, code in session.execute(query))
    kept = []
    for row, clean in good:
        if (clean["decision_no"], clean["subject_code"]) in existing:
            report.errors.append(RowError(row.number, labels["decision_no"], "该主体已有相同文号的处罚记录"))
        else:
            kept.append((row, clean))
    return kept


# -- writing ---------------------------------------------------------------------------------

def _write(session: Session, rules: RuleBook, good: list[tuple[Row, dict[str, Any]]], filename: str,
           actor: str, now: datetime, report: ImportReport, progress: Progress) -> None:
    report.new_subjects = _register_subjects(session, [clean for _row, clean in good], now)
    windows: dict[tuple, Publicity] = {}
    today = local_today(now)
    try:
        for start in range(0, len(good), CHUNK):
            chunk = good[start:start + CHUNK]
            records = [_record_row(clean, rules, windows, today, actor, now) for _row, clean in chunk]
            ids = _insert_records(session, records)
            _insert_children(session, chunk, ids, records, filename, actor, now)
            report.imported += len(ids)
            progress("write", report.imported, len(good))
    except IntegrityError as exc:
        raise Conflict("导入期间有相同记录被登记，请重新导入") from exc


def _insert_records(session: Session, records: list[dict[str, Any]]) -> list[int]:
    """New ids in row order. PostgreSQL: ids drawn from the sequence first, then a plain
    executemany, 2.5x faster than INSERT … RETURNING in parameter order; SQLite: RETURNING."""
    if session.get_bind().dialect.name == "postgresql":
        ids = session.execute(text("SELECT nextval(pg_get_serial_sequence('credit_record', 'id')) "
                                   "FROM generate_series(1, :n)"), {"n": len(records)}).scalars().all()
        session.execute(RECORDS.insert(), [dict(r, id=i) for r, i in zip(records, ids)])
        return list(ids)
    statement = RECORDS.insert().returning(RECORDS.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, records).scalars().all())


def _record_row(clean: dict[str, Any], rules: RuleBook, windows: dict[tuple, Publicity], today: date,
                actor: str, now: datetime) -> dict[str, Any]:
    key = (clean["decision_date"], clean["severity"], clean["sector"])
    publicity = windows.get(key)
    if publicity is None:
        publicity = windows[key] = publicity_for(rules, clean["decision_date"], "penalty", clean["severity"],
                                                 clean["sector"])
    blocked, reason = repairability_for(rules, publicity.regime, clean["misconduct_category"], clean["sector"])
    return {
        "subject_code": clean["subject_code"], "subject_name": clean["subject_name"], "kind": "penalty",
        "severity": clean["severity"], "category": clean["category"], "sector": clean["sector"],
        "misconduct_category": clean["misconduct_category"], "category_non_repairable": blocked,
        "non_repairable_reason": reason, "non_repairable": False, "decision_no": clean["decision_no"], "decision_date": clean["decision_date"],
        "department_code": clean["department_code"], "department_name": clean["department_name"],
        "facts": clean["facts"], "basis": clean["basis"], "content": clean["content"],
        "fine_amount": clean["fine_amount"], "regime": publicity.regime,
        "publicity_status": publicity.status(today), "publicity_start": publicity.start,
        "publicity_min_end": publicity.min_end, "publicity_max_end": publicity.max_end,
        "source": "import", "created_by": actor, "created_at": now, "updated_at": now,
    }


def _insert_children(session: Session, chunk: list[tuple[Row, dict[str, Any]]], ids: list[int],
                     records: list[dict[str, Any]], filename: str, actor: str, now: datetime) -> None:
    measures = [{"record_id": record_id, "name": m["name"], "basis": "", "implementing_department": "",
                 "state": "active", "reason": "", "case_id": None, "changed_at": now}
                for (_row, clean), record_id in zip(chunk, ids) for m in clean["measures"]]
    if measures:
        session.execute(PunishmentMeasure.__table__.insert(), measures)
    session.execute(RecordHistory.__table__.insert(), [
        {"record_id": record_id, "case_id": None, "at": now, "actor": actor, "action": "imported",
         "before": None, "after": {"file": filename, "row": row.number, "regime": record["regime"],
                                   "publicity_status": record["publicity_status"]}}
        for (row, _clean), record_id, record in zip(chunk, ids, records)])


def _register_subjects(session: Session, cleans: list[dict[str, Any]], now: datetime) -> int:
    wanted: dict[str, dict[str, Any]] = {}
    for clean in cleans:
        wanted.setdefault(clean["subject_code"], {"code": clean["subject_code"], "name": clean["subject_name"],
                                                  "category": clean["subject_category"], "created_at": now})
    codes = sorted(wanted)
    for start in range(0, len(codes), 500):
        query = select(Subject.code).where(Subject.code.in_(codes[start:start + 500]))
        for code in session.scalars(query):
            wanted.pop(code, None)
    rows = list(wanted.values())
    for start in range(0, len(rows), CHUNK):
        session.execute(Subject.__table__.insert(), rows[start:start + CHUNK])
    return len(rows)


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


def import_file(store: Store, rules: RuleBook, path: Path, actor: str, now: datetime, skip_invalid: bool,
                progress: Progress | None = None) -> ImportReport:
    """One transaction, committed only when something was imported: all rows or none, unless
    `skip_invalid` keeps the good ones."""
    with store.write() as uow:
        report = import_records(uow.session, rules, path, actor, now, skip_invalid, progress=progress)
        if report.imported:
            uow.commit()
    return report
