"""Credit commitments (信用承诺) and the versioned texts they are made on."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


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
    status: Mapped[str] = mapped_column(String(16), index=True)  # filed|confirmed|accepted|breach_pending|rejected|fulfilled|breached|cleared|withdrawn
    fulfilment: Mapped[str | None] = mapped_column(String(16))  # full | partial | none | false
    unfulfilled: Mapped[str] = mapped_column(Text, default="")
    liability_action: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(String(200), default="")
    breach_record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    source: Mapped[str] = mapped_column(String(16), default="flow")  # flow | import | repair
    # 信用修复型 signed in a repair request: that case and the records it covers (a breach re-opens them)
    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    record_ids: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
