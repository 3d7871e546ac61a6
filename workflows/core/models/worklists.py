"""What staff keep beside the cases while they work: saved search filters, internal comments on
a case, and out-of-office delegations to a substitute (issue 17)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId


class SavedFilter(Base):
    """A named search of one user (the query string's fields), picked again from a list."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("username", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(40))
    query: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime]


class CaseComment(Base):
    """An internal note of staff on a case: never shown in the portal nor to applicants."""

    __tablename__ = "case_comment"
    __table_args__ = (Index("ix_case_comment_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_instance.id"))
    author: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Delegation(Base):
    """While it runs (local dates, both included), the reviewer's tasks go to the substitute."""

    __tablename__ = "delegation"
    __table_args__ = (Index("ix_delegation_user_dates", "username", "ends_on"),
                      Index("ix_delegation_substitute_dates", "substitute", "ends_on"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    substitute: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(64))
