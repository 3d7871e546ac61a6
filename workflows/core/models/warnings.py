"""Early warnings found by the scan and the departments whose inbox shows them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


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
