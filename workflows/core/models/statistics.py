"""Quarterly reports (季度工作情况) generated on demand and archived like letters: bytes and sha256
kept, never changed."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId


class StatisticsReport(Base):
    __tablename__ = "statistics_report"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    department_code: Mapped[str | None] = mapped_column(String(32), index=True)  # None: the whole city
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    generated_by: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[datetime]
