"""SQLAlchemy 2.0 typed models.

The case row holds the whole workflow state as one JSON document; `human_task`,
`case_event` and `next_timer_at` are projections rebuilt on every advance
(DESIGN.md principle 4). Times are stored in UTC.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite keeps no offset: without converting to UTC first, a +08:00 value would be stored
    as wall-clock time and compare wrongly with UTC values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class Department(Base):
    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Subject(Base):
    """A company (USCC) or a person (resident ID number) that records are about."""

    __tablename__ = "subject"

    code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))  # legal_person | natural_person
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    roles: Mapped[str] = mapped_column(String(200))  # comma-separated role keys
    subject_code: Mapped[str | None] = mapped_column(ForeignKey("subject.code"))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class ApiToken(Base):
    __tablename__ = "api_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """A failed sign-in (form or API token): counted to throttle password guessing."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_username_at", "username", "at"),
                      Index("ix_login_failure_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class SpecSet(Base):
    """One distinct set of BPMN/DMN files, keyed by the sha256 of their contents."""

    __tablename__ = "spec_set"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    files: Mapped[dict[str, Any]] = mapped_column(JSON)  # relative path -> XML text
    created_at: Mapped[datetime]


class Case(Base):
    __tablename__ = "case_instance"
    __table_args__ = (Index("ix_case_timer", "status", "next_timer_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running | completed | cancelled
    outcome: Mapped[str | None] = mapped_column(String(32))
    subject_code: Mapped[str | None] = mapped_column(String(18), index=True)
    department_code: Mapped[str | None] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    spec_set_id: Mapped[str] = mapped_column(ForeignKey("spec_set.id"))
    serializer_version: Mapped[str] = mapped_column(String(16))
    workflow_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    next_timer_at: Mapped[datetime | None] = mapped_column(index=True)
    received_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class HumanTask(Base):
    """Projection of the workflow's user tasks, for inboxes; never edited by hand."""

    __tablename__ = "human_task"
    # the inbox reads this index in due order and counts its tabs from it (bench/repair_scale.py)
    __table_args__ = (Index("ix_human_task_inbox", "state", "lane", "due_at", "id", "assignee", "overdue"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # SpiffWorkflow task guid
    case_id: Mapped[int] = mapped_column(ForeignKey("case_instance.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(64))
    department_code: Mapped[str | None] = mapped_column(String(32))
    subject_code: Mapped[str | None] = mapped_column(String(18))
    assignee: Mapped[str | None] = mapped_column(String(64), index=True)
    due_at: Mapped[datetime | None]
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16))  # ready | completed | cancelled
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(64))


class CaseEvent(Base):
    """Append-only audit log: who did what to which case, when, with before/after."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(48), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    bpmn_id: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Notification(Base):
    """Something a role or a user should see (e.g. an SLA breach for supervisors)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(32), index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class OutboxEvent(Base):
    """Ordered events for sharing partners (GET /api/v1/outbox?after=seq)."""

    __tablename__ = "outbox_event"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class CalendarOverride(Base):
    """Admin corrections to the holidays package: a rest day or a make-up working day."""

    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)  # True: make-up working day; False: holiday
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Sequence(Base):
    """Gap-free counters (letter numbers, commitment codes): one row per series, row-locked."""

    __tablename__ = "number_sequence"
    __table_args__ = (UniqueConstraint("series", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Letter(Base):
    """An issued official letter: immutable once written (bytes, sha256, exact context)."""

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("series", "year", "serial"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    letter_type: Mapped[str] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(100), unique=True)
    series: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer)  # None when numbered elsewhere (承诺编码)
    verification_code: Mapped[str] = mapped_column(String(16))
    subject_code: Mapped[str | None] = mapped_column(String(18), index=True)
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    issuer_name: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))


class CreditRecord(Base):
    """A credit record about a subject (penalty, list entry, breach, …); never deleted."""

    __tablename__ = "credit_record"
    __table_args__ = (
        UniqueConstraint("kind", "decision_no", "subject_code"),
        Index("ix_record_subject_kind", "subject_code", "kind"),
        Index("ix_record_dept_date", "department_code", "decision_date"),
        # covers both early-warning counting queries (bench/warning_scan.py)
        Index("ix_record_warning_scan", "kind", "subject_code", "decision_date", "department_code", "publicity_status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_code: Mapped[str] = mapped_column(ForeignKey("subject.code"))
    subject_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))  # penalty | serious_list | key_attention | breach | …
    severity: Mapped[str] = mapped_column(String(16))  # minor | general | serious
    category: Mapped[str] = mapped_column(String(100), default="")  # 处罚类别
    sector: Mapped[str] = mapped_column(String(32), default="")  # special_equipment | work_safety | fire | …
    non_repairable: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_no: Mapped[str] = mapped_column(String(100))
    decision_date: Mapped[date] = mapped_column(Date)
    department_code: Mapped[str] = mapped_column(String(32))
    department_name: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    regime: Mapped[str] = mapped_column(String(16))
    publicity_status: Mapped[str] = mapped_column(String(16))  # public|suspended|stopped|revoked|expired|not_published
    publicity_start: Mapped[date | None] = mapped_column(Date)
    publicity_min_end: Mapped[date | None] = mapped_column(Date)
    publicity_max_end: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), default="api")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PunishmentMeasure(Base):
    __tablename__ = "punishment_measure"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    basis: Mapped[str] = mapped_column(String(500), default="")
    implementing_department: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended | terminated
    reason: Mapped[str] = mapped_column(String(300), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"))
    changed_at: Mapped[datetime]


class RecordHistory(Base):
    """Every change to a record or its measures, with before/after (nothing is deleted)."""

    __tablename__ = "record_history"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CaseRecord(Base):
    """Which records a case is about (a repair or objection may cover several)."""

    __tablename__ = "case_record"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_instance.id"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), primary_key=True, index=True)


class Attachment(Base):
    """An uploaded file: sniffed type, size-limited, addressed by an unguessable id."""

    __tablename__ = "attachment"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # secrets.token_urlsafe(32)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_instance.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(32), default="proof")
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime]


class CommitmentTemplate(Base):
    """规范化信用承诺书模板: the standard text per commitment type, edited by the credit office
    in versions; a commitment keeps the exact text its maker accepted."""

    __tablename__ = "commitment_template"
    __table_args__ = (UniqueConstraint("commitment_type", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    commitment_type: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Commitment(Base):
    """The commitment register (national data items, DOMAIN.md §A), one row per 承诺."""

    __tablename__ = "commitment"
    __table_args__ = (Index("ix_commitment_dept_type", "department_code", "commitment_type"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # 承诺编码
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    subject_code: Mapped[str] = mapped_column(String(18), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    subject_category: Mapped[str] = mapped_column(String(32))  # 法人及非法人组织 | 自然人 | 个体工商户
    commitment_type: Mapped[str] = mapped_column(String(32))
    matter: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text, default="")
    liability: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")  # the exact standard text accepted
    template_version: Mapped[int | None] = mapped_column(Integer)
    made_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    verify_on: Mapped[date | None] = mapped_column(Date)
    disclosure: Mapped[str] = mapped_column(String(16))  # public | restricted | private
    department_code: Mapped[str] = mapped_column(String(32))
    department_name: Mapped[str] = mapped_column(String(200))
    deficiency_materials: Mapped[str] = mapped_column(Text, default="")
    deficiency_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)  # filed|confirmed|accepted|rejected|fulfilled|breached|withdrawn
    fulfilment: Mapped[str | None] = mapped_column(String(16))  # full | partial | none | false
    unfulfilled: Mapped[str] = mapped_column(Text, default="")
    liability_action: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(String(200), default="")
    breach_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    source: Mapped[str] = mapped_column(String(16), default="flow")  # flow | import
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EarlyWarning(Base):
    """An early-warning finding about a subject (Xiamen seed §24), with its evidence."""

    __tablename__ = "early_warning"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_code: Mapped[str] = mapped_column(String(18), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON)  # rule key -> figure, e.g. {"penalties_365d": 61}
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"record_ids": [...]}
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | closed
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))


class WarningDepartment(Base):
    """A warning goes to the inbox of every department involved in its evidence."""

    __tablename__ = "warning_department"

    warning_id: Mapped[int] = mapped_column(ForeignKey("early_warning.id"), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class TrainingSession(Base):
    """A credit-repair training session (Quanzhou seed 二(四)): free, regular, maybe by a third party."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    course: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    provider: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))  # online | offline
    place: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | cancelled
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Enrollment(Base):
    __tablename__ = "training_enrollment"
    __table_args__ = (UniqueConstraint("session_id", "subject_code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    subject_code: Mapped[str] = mapped_column(String(18), index=True)
    subject_name: Mapped[str] = mapped_column(String(200))
    attendee: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="enrolled")  # enrolled | attended | absent | cancelled
    certificate_no: Mapped[str | None] = mapped_column(String(100), unique=True)
    certificate_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    enrolled_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
