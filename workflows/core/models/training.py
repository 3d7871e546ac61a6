"""Repair training sessions and who enrolled."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


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
