"""Credit records (administrative penalties, lists), their punishment measures, their history,
and the records each case is about."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


class CreditRecord(Base):
    """A credit record about a subject (penalty, list entry, breach, …); never deleted."""

    __tablename__ = "credit_record"
    __table_args__ = (
        UniqueConstraint("kind", "decision_no", "subject_code"),
        Index("ix_record_subject_kind", "subject_code", "kind"),
        Index("ix_record_dept_date", "department_code", "decision_date"),
        # covers both early-warning counting queries (bench/warning_scan.py)
        Index("ix_record_warning_scan", "kind", "subject_code", "decision_date", "department_code", "publicity_status"),
        # the case and record searches' part-of-number match: trigram index on PostgreSQL, plain on SQLite
        Index("ix_record_decision_no_trgm", "decision_no", postgresql_using="gin",
              postgresql_ops={"decision_no": "gin_trgm_ops"}),
        # the repair rate counts eligible and repaired records from this index alone, equalities
        # first so that SQLite prefers it without statistics (workflows/statistics/repair.py)
        Index("ix_record_repair_rate", "kind", "non_repairable", "category_non_repairable", "publicity_max_end",
              "publicity_min_end", "publicity_start", "department_code", "regime", "repaired_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_code: Mapped[str] = mapped_column(ForeignKey("subject.code"))
    subject_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))  # penalty | serious_list | key_attention | breach | …
    severity: Mapped[str] = mapped_column(String(16))  # minor | general | serious
    category: Mapped[str] = mapped_column(String(100), default="")  # 处罚类别
    sector: Mapped[str] = mapped_column(String(32), default="")  # special_equipment | work_safety | fire | …
    non_repairable: Mapped[bool] = mapped_column(Boolean, default=False)  # the manual tick
    # 失信行为类别 (records/validation.py MISCONDUCT_NAMES) and what DMN record_repairability made of
    # it when the record was written: the repair eligibility ORs it with the manual tick
    misconduct_category: Mapped[str] = mapped_column(String(32), default="", server_default="")
    category_non_repairable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    non_repairable_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
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
    # interview records of an unjustified refusal: repair is barred before this day (DMN interview_rules)
    bars_repair_until: Mapped[date | None] = mapped_column(Date)
    # local day the first repair covering the record was granted (its case closed approved), written
    # with that decision and never cleared (a repair undone later was still granted): the repair
    # rate reads it instead of joining every approved case (workflows/statistics/repair.py)
    repaired_at: Mapped[date | None] = mapped_column(Date)
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
