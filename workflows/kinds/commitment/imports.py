"""Import of commitments made in other systems: CSV with the national data items as headers.

Same contract as the records import: every row is checked and reported by row and column in
Chinese; nothing is stored if any row is bad unless `skip_invalid`; rows are inserted in bulk.
A given 承诺编码 moves that day's counter past it, so codes allocated later never collide.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.archive.commitment_codes import allocate_commitment_code
from workflows.core import limits
from workflows.core.clock import to_local
from workflows.core.errors import Conflict, Forbidden, InvalidInput
from workflows.core.identifiers import validate_subject_code
from workflows.core.limits import text_problem
from workflows.core.models.commitments import Commitment
from workflows.core.models.letters import Sequence
from workflows.core.models.people import Department
from workflows.core.store import Store
from workflows.kinds.commitment.register import (
    CATEGORIES,
    DATA_ITEMS,
    DISCLOSURE_NAMES,
    FULFILMENT_NAMES,
)
from workflows.kinds.commitment.templates import TYPES
from workflows.people.access import Actor
from workflows.people.permissions import allows, require
from workflows.records.imports import ImportReport, RowError

HEADERS = {label: name for name, label in DATA_ITEMS.items()}
LABELS = DATA_ITEMS
REQUIRED = ("subject_name", "subject_category", "subject_code", "commitment_type", "matter", "content",
            "liability", "made_on", "disclosure", "department_name", "department_code")
CODE_KINDS = {"自然人": ("natural_person", "承诺人类别为自然人时应填写公民身份号码"),  # 个体工商户: either
              "法人及非法人组织": ("legal_person", "法人及非法人组织应填写统一社会信用代码")}
TYPE_KEYS = {name: key for key, name in TYPES.items()} | {"证明事项型": "certification"}
DISCLOSURES = {name: key for key, name in DISCLOSURE_NAMES.items()}
CHOICES = (("commitment_type", TYPE_KEYS, "、".join(TYPES.values())),
           ("disclosure", DISCLOSURES, "、".join(DISCLOSURES)))
FULFILMENTS = {name: key for key, name in FULFILMENT_NAMES.items() if key != "false"}  # 3 in the standard
LIMITS = {"subject_name": limits.TITLE, "matter": limits.NOTE, "content": limits.TEXT, "liability": limits.TEXT,
          "department_name": limits.TITLE, "department_code": 32, "unfulfilled": limits.TEXT,
          "liability_action": limits.TEXT, "verified_by": limits.TITLE}
CODE = re.compile(r"\d{6}(\d{8})\d{6}")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
NO_END = ("长期", "长期有效", "无")


@dataclass
class CommitmentImportReport(ImportReport):
    allocated: int = 0  # rows without 承诺编码 that were given one


def import_commitments(session: Session, raw: bytes, filename: str, now: datetime, *,
                       skip_invalid: bool = False, department: str | None = None) -> CommitmentImportReport:
    """Check every row, then insert the good ones (all, or none unless `skip_invalid`). Never commits.

    `department`: the importer's; rows naming another 受理单位代码 are refused, rows naming none are its own.
    """
    report = CommitmentImportReport(file=filename)
    report.total = len(rows := _read(raw, department, report))
    if report.errors:
        return report
    today, known = to_local(now).date(), session.get(Department, department) if department else None
    checked = [(n, _check(values, today, department, known.name if known else "")) for n, values in rows]
    good = _drop_duplicates(session, checked, report)
    if good and (skip_invalid or not report.errors):
        _write(session, [clean for _n, clean in good], now, report)
    return report


def _read(raw: bytes, department: str | None, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    try:
        lines = list(csv.reader(io.StringIO(_decode(raw), newline="")))
    except csv.Error as exc:  # e.g. a PDF or a spreadsheet uploaded by mistake
        raise InvalidInput("无法读取 CSV 文件：请上传逗号分隔的文本文件", {"file": str(exc)[:200]}) from exc
    header_at = next((i for i, cells in enumerate(lines[:10]) if sum(_header(c) in HEADERS for c in cells) >= 3),
                     None)
    if header_at is None:
        report.errors.append(RowError(1, "", "未找到表头：应有“承诺编码、承诺人名称、统一社会信用代码或身份证号码……”等列名"))
        return []
    columns = {HEADERS[_header(c)]: i for i, c in enumerate(lines[header_at]) if _header(c) in HEADERS}
    implied = ("department_code", "department_name") if department else ()
    missing = [name for name in REQUIRED if name not in columns and name not in implied]
    report.errors.extend(RowError(header_at + 1, LABELS[name], f"缺少必需的列“{LABELS[name]}”") for name in missing)
    return [(number, {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()})
            for number, cells in enumerate(lines, start=1)
            if number > header_at + 1 and any(c.strip() for c in cells)]


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        with suppress(UnicodeDecodeError):
            return raw.decode(encoding)
    raise InvalidInput("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV", {"file": "编码不正确"})


def _header(cell: str) -> str:
    """Full-width brackets and spaces, and a `*` marking required columns, are tolerated."""
    return "".join(unicodedata.normalize("NFKC", cell).split()).strip("*")


def _check(values: dict[str, str], today: date, department: str | None, fallback: str) -> dict[str, Any]:
    """The row's column values as stored; problems under the key "errors" (field -> message)."""
    clean: dict[str, Any] = {name: unicodedata.normalize("NFKC", values.get(name, "")).strip()
                             for name in HEADERS.values()}
    errors: dict[str, str] = {}
    if department:
        if clean["department_code"] and clean["department_code"] != department:
            errors["department_code"] = f"只能导入本单位（{department}）受理的承诺"
        clean["department_code"] = department
        clean["department_name"] = clean["department_name"] or fallback
    errors.update({name: f"请填写{LABELS[name]}" for name in REQUIRED if not clean[name]})
    errors.update({name: problem for name in HEADERS.values()
                   if (problem := text_problem(clean[name], LABELS[name], LIMITS.get(name, limits.TITLE)))})
    _check_code(clean, errors)
    _check_subject(clean, errors)
    for name, choices, shown in CHOICES:
        if clean[name] and name not in errors and clean[name] not in choices:
            errors[name] = f"{LABELS[name]}应为：{shown}"
        clean[name] = choices.get(clean[name], clean[name])
    _check_dates(clean, errors, today)
    _check_fulfilment(clean, errors, today)
    clean["errors"] = errors
    return clean


def _check_code(clean: dict[str, Any], errors: dict[str, str]) -> None:
    """6-digit region + the 8-digit date it was made + 6-digit serial; empty: allocated later."""
    match = CODE.fullmatch(code := clean["code"])
    if code and match is None:
        errors["code"] = "承诺编码应为20位数字：6位行政区划代码＋8位日期＋6位顺序号"
    elif code and _date(match[1]) is None:
        errors["code"] = f"承诺编码第7–14位“{match[1]}”不是有效日期"


def _check_subject(clean: dict[str, Any], errors: dict[str, str]) -> None:
    category = clean["subject_category"]
    if category and category not in CATEGORIES:
        errors["subject_category"] = f"承诺人类别应为：{'、'.join(CATEGORIES)}"
    if not clean["subject_code"]:
        return
    try:
        kind, clean["subject_code"] = validate_subject_code(clean["subject_code"])
    except InvalidInput as err:
        errors["subject_code"] = err.message
        return
    expected, message = CODE_KINDS.get(category, (kind, ""))
    if kind != expected:
        errors["subject_code"] = message


def _check_dates(clean: dict[str, Any], errors: dict[str, str], today: date) -> None:
    made_on = _parse_day(clean, errors, "made_on")
    if made_on is not None and made_on > today:
        errors["made_on"] = f"作出日期不能晚于今天（{today.isoformat()}）"
    if clean["valid_until"] in NO_END:
        clean["valid_until"] = ""
    valid_until = _parse_day(clean, errors, "valid_until")
    if made_on is not None and valid_until is not None and valid_until < made_on:
        errors["valid_until"] = "有效期不能早于作出日期"


def _check_fulfilment(clean: dict[str, Any], errors: dict[str, str], today: date) -> None:
    """Given a 履行状态: the commitment was verified, so the verification items are required."""
    value, clean["status"] = clean["fulfilment"], "accepted"
    if not value:
        for name in ("unfulfilled", "liability_action", "verified_on"):
            if clean[name]:
                errors.setdefault("fulfilment", f"填写了{LABELS[name]}，请同时填写履行状态")
        clean.update(fulfilment=None, verified_on=None)
        return
    if value not in FULFILMENTS:
        errors["fulfilment"] = f"履行状态应为：{'、'.join(FULFILMENTS)}（未认定的不填）"
        return
    clean["fulfilment"] = FULFILMENTS[value]
    clean["status"] = "fulfilled" if clean["fulfilment"] == "full" else "breached"
    for name in ("unfulfilled", "liability_action"):
        if clean["fulfilment"] != "full" and not clean[name]:
            errors[name] = f"履行状态为“{value}”时请填写{LABELS[name]}"
    if not clean["verified_on"]:
        errors["verified_on"] = "填写履行状态时请填写认定日期"
    verified_on = _parse_day(clean, errors, "verified_on")
    if verified_on is not None and (verified_on > today or (isinstance(clean["made_on"], date)
                                                            and verified_on < clean["made_on"])):
        errors["verified_on"] = "认定日期应在作出日期和今天之间"
    clean["verified_by"] = clean["verified_by"] or clean["department_name"]


def _parse_day(clean: dict[str, Any], errors: dict[str, str], name: str) -> date | None:
    """Replaces the text by a date (or None when empty); a bad date is an error."""
    text, clean[name] = clean[name], None
    if text and name not in errors:
        clean[name] = _date(text)
        if clean[name] is None:
            errors[name] = f"{LABELS[name]}“{text}”不是有效日期，应为 2026-09-30 的形式"
    return clean[name]


def _date(text: str) -> date | None:
    for form in DATE_FORMATS:
        with suppress(ValueError):
            return datetime.strptime(text, form).date()
    return None


def _drop_duplicates(session: Session, checked: list[tuple[int, dict[str, Any]]],
                     report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    """A code twice in the file, or already registered, is an error, never silently skipped."""
    given = sorted({clean["code"] for _n, clean in checked if clean["code"] and "code" not in clean["errors"]})
    stored = {code for start in range(0, len(given), 500) for code in
              session.scalars(select(Commitment.code).where(Commitment.code.in_(given[start:start + 500])))}
    seen: dict[str, int] = {}
    for number, clean in checked:
        code, errors = clean["code"], clean["errors"]
        if code in stored:
            errors.setdefault("code", f"承诺编码 {code} 已登记，不能重复导入")
        elif code in seen:
            errors.setdefault("code", f"与第{seen[code]}行的承诺编码重复")
        elif code:
            seen[code] = number
        report.errors.extend(RowError(number, LABELS[name], message) for name, message in errors.items())
    return [(number, clean) for number, clean in checked if not clean["errors"]]


def _write(session: Session, good: list[dict[str, Any]], now: datetime, report: CommitmentImportReport) -> None:
    _advance_counters(session, [clean["code"] for clean in good if clean["code"]])
    for clean in good:
        if not clean["code"]:
            clean["code"] = allocate_commitment_code(session, clean["made_on"])
            report.allocated += 1
    rows = [_row(clean, now) for clean in good]
    try:  # one executemany; SQLAlchemy sends it in multi-row batches
        session.execute(Commitment.__table__.insert(), rows)
    except IntegrityError as exc:
        raise Conflict("导入期间有相同承诺编码被登记，请重新导入") from exc
    report.imported = len(rows)


def _advance_counters(session: Session, codes: list[str]) -> None:
    """The series is `letters.commitment_codes`' own: commitment:<region>, period yyyymmdd."""
    highest: dict[tuple[str, str], int] = {}
    for code in sorted(codes):  # ascending: the last one of each day is its highest serial
        highest[(f"commitment:{code[:6]}", code[6:14])] = int(code[14:])
    for (series, period), serial in sorted(highest.items()):
        query = select(Sequence).where(Sequence.series == series, Sequence.period == period).with_for_update()
        counter = session.scalars(query).first()
        if counter is None:
            session.add(Sequence(series=series, period=period, last_value=serial))
        elif counter.last_value < serial:
            counter.last_value = serial
    session.flush()


def _row(clean: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {name: value for name, value in clean.items() if name != "errors"} | {
        "case_id": None, "text": "", "template_version": None, "verify_on": None, "deficiency_materials": "",
        "deficiency_due": None, "breach_record_id": None, "source": "import", "created_at": now, "updated_at": now}


def import_for_department(store: Store, actor: Actor, raw: bytes, filename: str, now: datetime, *,
                          skip_invalid: bool = False, requested: str | None = None) -> CommitmentImportReport:
    """Import as `actor`: committed only when something was imported (nothing half-done)."""
    require(actor, "may_import_commitments", "只有认定部门或信用办可以导入信用承诺")
    department = importing_department(actor, requested)
    with store.write() as uow:
        report = import_commitments(uow.session, raw, filename, now, skip_invalid=skip_invalid, department=department)
        if report.imported:
            uow.commit()
    return report


def importing_department(actor: Actor, requested: str | None) -> str | None:
    """The credit office imports for any department; an officer only for their own."""
    if allows(actor, "may_import_for_any_department"):
        return (requested or "").strip() or None
    if not actor.department_code:
        raise Forbidden("您的账号未设置所属部门。")
    return actor.department_code
