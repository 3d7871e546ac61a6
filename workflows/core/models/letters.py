"""Issued letters and the gap-free counters that number them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
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


PENDING, ISSUED = "pending", "issued"  # Letter.status


class Letter(Base):
    """An issued official letter: number, type, issuer and exact context are fixed by the step
    that issues it; its PDF is rendered after that commit (`pending` until the bytes and their
    sha256 are archived, then `issued` and immutable)."""

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("series", "year", "serial"),
                      Index("ix_letter_status_next_render", "status", "next_render_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"), index=True)
    letter_type: Mapped[str] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(100), unique=True)
    series: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer)  # None when numbered elsewhere (承诺编码)
    verification_code: Mapped[str] = mapped_column(String(16), index=True)  # alone finds it: /v/<code>
    subject_code: Mapped[str | None] = mapped_column(String(18), index=True)
    subject_name: Mapped[str] = mapped_column(String(200), default="")
    issuer_name: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str | None] = mapped_column(String(64))  # None while pending
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int | None] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    render_attempts: Mapped[int] = mapped_column(Integer, default=0)
    render_error: Mapped[str | None] = mapped_column(String(500))  # the last failure, kept for admins
    rendered_at: Mapped[datetime | None]
    next_render_at: Mapped[datetime | None]  # when the sweep (re)tries a pending letter
    organ_code: Mapped[str | None] = mapped_column(String(32))  # whose key signs it (None: the office, no row)
    signed_by: Mapped[str | None] = mapped_column(String(300))  # the signing certificate's subject
    signed_at: Mapped[datetime | None]  # the signing time the signature states; None: unsigned

    @property
    def pending(self) -> bool:
        return self.status != ISSUED
