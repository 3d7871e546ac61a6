"""Credit-repair training (DOMAIN.md §B, §D): sessions, enrollment, attendance, certificates.

Training is regular, free and may be run by a third party (Quanzhou seed 二(四)). Attending yields
a numbered 培训证明 letter, which a 527 repair of a serious record needs; the repair flow checks it
with `verify_certificate`, which accepts it only for the subject it was issued to. Enrolling locks
the session row, so concurrent enrollments cannot overfill it. Nothing here commits.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.archive.issuing import issue_letter

from workflows.people.access import Actor
from workflows.core.clock import to_local
from workflows.core import limits
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from workflows.core.limits import moment_field, text_field, text_problem
from workflows.core.identifiers import validate_subject_code
from workflows.core.models.letters import Letter
from workflows.core.models.people import Subject
from workflows.people.permissions import allows
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.records.imports import RowError

MODES = {"online": "线上", "offline": "线下"}
MODE_KEYS = {key: key for key in MODES} | {name: key for key, name in MODES.items()}
ACTIVE = ("enrolled", "attended", "absent")  # the places these take count against the capacity
LABELS = {"course": "培训名称", "starts_at": "开始时间", "provider": "举办单位", "mode": "培训方式",
          "place": "培训地点", "capacity": "名额"}
LIMITS = {"course": limits.TITLE, "provider": limits.TITLE, "place": limits.LINE}
ATTENDEE_MAX = limits.NAME
MAX_CAPACITY = 10000
COLUMNS = {"统一社会信用代码或身份证号码": "subject_code", "参训人员": "attendee", "是否完成": "completed"}
HEADERS = {name: label for label, name in COLUMNS.items()}
COMPLETED = {"是": True, "否": False}
BRACKETS = str.maketrans({"[": "〔", "(": "〔", "【": "〔", "﹝": "〔", "]": "〕", ")": "〕", "】": "〕", "﹞": "〕"})
LETTER_TYPE = "training_certificate"
Row = TypeVar("Row", TrainingSession, Enrollment)


@dataclass
class AttendanceReport:
    total: int = 0
    attended: int = 0
    absent: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


# -- sessions --------------------------------------------------------------------------------

def create_session(session: Session, data: Mapping[str, Any], actor: Actor, now: datetime) -> TrainingSession:
    """A new open session; every field problem is reported at once (field -> Chinese message)."""
    clean, errors = _clean_session(data)
    if errors:
        raise InvalidInput("培训场次信息不完整或有误：" + "；".join(errors.values()), errors)
    row = TrainingSession(**clean, status="open", created_by=actor.username, created_at=now)
    session.add(row)
    session.flush()
    return row


def _clean_session(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    text = {name: text_field(data.get(name), name, LABELS[name], LIMITS[name], required=name != "place", errors=errors)
            for name in ("course", "provider", "place")}
    raw_mode = data.get("mode")
    mode = MODE_KEYS.get(raw_mode.strip()) if isinstance(raw_mode, str) else None
    if mode is None:
        errors["mode"] = "培训方式应为 online（线上）或 offline（线下）"
    elif mode == "offline" and not text["place"] and "place" not in errors:
        errors["place"] = "线下培训请填写培训地点"
    clean = {**text, "mode": mode, "starts_at": _moment(data.get("starts_at"), errors),
             "capacity": _capacity(data.get("capacity"), errors)}
    return clean, errors


def _moment(value: Any, errors: dict[str, str]) -> datetime | None:
    """An ISO 8601 date-time within the accepted years; without an offset it is Beijing time."""
    moment = moment_field(value, "starts_at", LABELS["starts_at"], naive_local=True, errors=errors)
    return moment.astimezone(timezone.utc) if moment else None


def _capacity(value: Any, errors: dict[str, str]) -> int | None:
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) and not isinstance(
        value, bool) and abs(value) < 10 ** 9 else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= MAX_CAPACITY):
        errors["capacity"] = f"名额应为 1 至 {MAX_CAPACITY} 之间的整数"
        return None
    return int(text)


# -- enrollment ------------------------------------------------------------------------------

def enroll(session: Session, training_session_id: int, subject_code: str, attendee: str, actor: Actor,
           now: datetime) -> Enrollment:
    """Enroll a subject (applicants: only their own). A cancelled enrollment is revived."""
    try:
        code = validate_subject_code(subject_code)[1]
    except InvalidInput as err:
        raise InvalidInput(err.message, {"subject_code": err.message}) from err
    if not allows(actor, "may_enroll_any_subject") and code != actor.subject_code:
        raise Forbidden("只能为本主体报名培训")
    subject = session.get(Subject, code)
    if subject is None:
        raise InvalidInput(f"主体 {code} 尚未登记", {"subject_code": "主体不存在，请先登记主体"})
    name = text_field(attendee, "attendee", "参训人员", ATTENDEE_MAX) or (
        subject.name if subject.category == "natural_person" else "")
    if not name or len(name) > ATTENDEE_MAX:
        raise InvalidInput("请填写参训人员姓名（不超过100个字）", {"attendee": "请填写参训人员"})
    training = _locked(session, TrainingSession, training_session_id)
    _check_open(training, now)
    row = session.scalars(select(Enrollment).where(Enrollment.session_id == training.id,
                                                   Enrollment.subject_code == code)).first()
    if row is not None and row.status != "cancelled":
        raise Conflict(f"{subject.name}已报名本场培训，不能重复报名")
    taken = select(func.count()).where(Enrollment.session_id == training.id, Enrollment.status.in_(ACTIVE))
    if session.scalar(taken) >= training.capacity:
        raise Conflict(f"本场培训名额已满（{training.capacity}人）")
    row = row or Enrollment(session_id=training.id, subject_code=code, created_at=now)
    row.subject_name, row.attendee, row.status = subject.name, name, "enrolled"
    row.enrolled_by, row.updated_at = actor.username, now
    session.add(row)
    session.flush()
    return row


def cancel_enrollment(session: Session, enrollment_id: int, actor: Actor, now: datetime) -> Enrollment:
    """Give the place back before the training (applicants: only their own)."""
    row = _locked(session, Enrollment, enrollment_id)
    if not allows(actor, "may_organise_training") and row.subject_code != actor.subject_code:
        raise NotFound("报名记录不存在")
    if row.status != "enrolled":
        raise Conflict("只有尚未登记参训情况的报名可以取消")
    row.status, row.updated_at = "cancelled", now
    return row


def _locked(session: Session, model: type[Row], row_id: int) -> Row:
    """The row, re-read and locked until commit (PostgreSQL; SQLite's write transaction locks the file)."""
    query = select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound("培训场次不存在" if model is TrainingSession else "报名记录不存在")
    return row


def _check_open(training: TrainingSession, now: datetime) -> None:
    if training.status != "open":
        raise Conflict("本场培训已取消" if training.status == "cancelled" else "本场培训已停止报名")
    if local_day(now) > local_day(training.starts_at):
        raise Conflict("本场培训已结束，不能报名")


def local_day(moment: datetime) -> date:
    return to_local(moment).date()


# -- attendance and certificates (one at a time, or exported by an online platform) ---------

def record_attendance(session: Session, enrollment_id: int, attended: bool, actor: Actor, now: datetime,
                      public_url: str, *, attendee: str | None = None) -> Enrollment:
    """Attended: issue the 培训证明 and keep its number; absent: none. A certificate is final."""
    row = _locked(session, Enrollment, enrollment_id)
    training = session.get(TrainingSession, row.session_id)
    if row.status in ("cancelled", "attended"):
        raise Conflict("该报名已取消，不能登记参训情况" if row.status == "cancelled"
                       else f"已出具培训证明 {row.certificate_no}，参训情况不能更改")
    _check_held(training, now)
    row.attendee = (attendee or "").strip()[:100] or row.attendee
    if attended:
        letter = issue_letter(session, LETTER_TYPE, certificate_context(session, row, training),
                              actor=actor.username, now=now, public_url=public_url)
        row.certificate_no, row.certificate_letter_id = letter.number, letter.id
    row.status, row.updated_at = ("attended" if attended else "absent"), now
    session.flush()
    return row


def certificate_context(session: Session, row: Enrollment, training: TrainingSession) -> dict[str, Any]:
    subject = session.get(Subject, row.subject_code)  # enrolling required it
    return {"subject": {"name": row.subject_name, "code": row.subject_code, "category": subject.category},
            "trainee": {"name": row.attendee},
            "training": {"name": training.course, "date": local_day(training.starts_at).isoformat(),
                         "organizer": training.provider}}


def _check_held(training: TrainingSession, now: datetime) -> None:
    if training.status == "cancelled":
        raise Conflict("本场培训已取消，不能登记参训情况")
    if local_day(now) < local_day(training.starts_at):
        raise RuleViolation("培训尚未举行，不能登记参训情况")


def verify_certificate(session: Session, subject_code: str, certificate_no: str) -> Enrollment | None:
    """The attended enrollment behind `certificate_no`, only if it was issued to this subject."""
    try:
        code = validate_subject_code(subject_code)[1]
    except InvalidInput:
        return None
    query = (select(Enrollment).join(Letter, Letter.id == Enrollment.certificate_letter_id)
             .where(Enrollment.certificate_no == normal_number(certificate_no), Enrollment.subject_code == code,
                    Enrollment.status == "attended", Letter.subject_code == code))
    return session.scalars(query).first()


def normal_number(text: str | None) -> str:
    """Certificate numbers as typed: full-width characters, spaces, [] or () for 〔〕."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).translate(BRACKETS)


def import_attendance(session: Session, training_session_id: int, csv_text: str, actor: Actor, now: datetime,
                      public_url: str) -> AttendanceReport:
    """Check every row first; record nothing unless all rows are good. Never commits.

    Columns: 统一社会信用代码或身份证号码, 参训人员, 是否完成 (是/否). Rows already recorded the
    same way are left as they are, so importing a file twice is harmless.
    """
    training = _locked(session, TrainingSession, training_session_id)
    _check_held(training, now)
    report = AttendanceReport()
    rows = _read_rows(csv_text, report)
    report.total = len(rows)
    enrolled = {row.subject_code: row for row in session.scalars(select(Enrollment).where(
        Enrollment.session_id == training.id))}
    seen: set[str] = set()
    plan = [_check_row(number, values, enrolled, seen, report) for number, values in rows]
    if report.errors:
        return report
    for row, completed, attendee in filter(None, plan):
        if row.status == ("attended" if completed else "absent"):
            report.unchanged += 1
            continue
        record_attendance(session, row.id, completed, actor, now, public_url, attendee=attendee)
        report.attended, report.absent = report.attended + completed, report.absent + (not completed)
    return report


def _read_rows(text: str, report: AttendanceReport) -> list[tuple[int, dict[str, str]]]:
    try:
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as err:
        raise InvalidInput(f"CSV 文件格式不正确：{err}", {"file": "格式不正确"}) from err
    at = next((i for i, cells in enumerate(lines[:10]) if set(COLUMNS) <= {_header(c) for c in cells}), None)
    if at is None:
        report.errors.append(RowError(1, "", "未找到表头：应有“统一社会信用代码或身份证号码、参训人员、是否完成”三列"))
        return []
    columns = {COLUMNS[_header(c)]: i for i, c in enumerate(lines[at]) if _header(c) in COLUMNS}
    rows = [(number, {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()})
            for number, cells in enumerate(lines, start=1) if number > at + 1 and any(c.strip() for c in cells)]
    if not rows:
        report.errors.append(RowError(at + 1, "", "文件中没有参训记录"))
    return rows


def _header(cell: str) -> str:
    return "".join(unicodedata.normalize("NFKC", cell).split()).strip("*")


def _check_row(number: int, values: dict[str, str], enrolled: dict[str, Enrollment], seen: set[str],
               report: AttendanceReport) -> tuple[Enrollment, bool, str] | None:
    problems: dict[str, str] = {}
    completed = COMPLETED.get(unicodedata.normalize("NFKC", values["completed"]).strip())
    if completed is None:
        problems["completed"] = "是否完成应填写“是”或“否”"
    row = _enrolled_row(values["subject_code"], enrolled, seen, problems)
    if row is not None and completed is False and row.status == "attended":
        problems["completed"] = f"已出具培训证明 {row.certificate_no}，不能改为未完成"
    if problem := text_problem(values["attendee"], "参训人员", ATTENDEE_MAX):
        problems["attendee"] = problem
    elif completed and row is not None and not (values["attendee"] or row.attendee):
        problems["attendee"] = "请填写参训人员"
    report.errors.extend(RowError(number, HEADERS[name], message) for name, message in problems.items())
    if problems or row is None or completed is None:
        return None
    return row, completed, values["attendee"]


def _enrolled_row(raw: str, enrolled: dict[str, Enrollment], seen: set[str],
                  problems: dict[str, str]) -> Enrollment | None:
    try:
        code = validate_subject_code(raw)[1]
    except InvalidInput as err:
        problems["subject_code"] = err.message
        return None
    row = enrolled.get(code)
    if code in seen:
        problems["subject_code"] = "同一主体在文件中出现多次"
    elif row is None or row.status == "cancelled":
        problems["subject_code"] = "该主体未报名本场培训"
    seen.add(code)
    return None if "subject_code" in problems else row
