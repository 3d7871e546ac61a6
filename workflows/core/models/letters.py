"""Issued letters and the gap-free counters that number them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


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
