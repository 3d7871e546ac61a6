"""The engine's tables: spec sets, the case row (one JSON per case), and its projections:
open tasks, audit events, notifications, the outbox to other systems, and the follow-ups a
committed step still owes other cases."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


class SpecSet(Base):
    """One distinct set of BPMN/DMN files, keyed by the sha256 of their contents."""

    __tablename__ = "spec_set"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    files: Mapped[dict[str, Any]] = mapped_column(JSON)  # relative path -> XML text
    created_at: Mapped[datetime]


class Case(Base):
    __tablename__ = "case_instance"
    # ix_case_received: the case search's default order, newest first (bench/case_search.py);
    # statistics count the cases of a kind received in a period from ix_case_statistics alone
    # (workflows/statistics, bench/stats.py)
    __table_args__ = (Index("ix_case_timer", "status", "next_timer_at"), Index("ix_case_received", "received_at", "id"),
                      Index("ix_case_statistics", "kind", "received_at", "status", "outcome", "closed_at",
                            "department_code", "record_regimes"))

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
    # the regimes of its records, " gb22 " (workflows/records/case_regimes.py)
    record_regimes: Mapped[str] = mapped_column(String(64), default="", server_default="")


class HumanTask(Base):
    """Projection of the workflow's user tasks, for inboxes; never edited by hand."""

    __tablename__ = "human_task"
    # the inbox reads this index in due order and counts its tabs from it (bench/repair_scale.py);
    # statistics judge the deadlines of a period's cases from the third alone, or from the second
    # for the cases a filter chose (bench/stats.py)
    __table_args__ = (Index("ix_human_task_inbox", "state", "lane", "due_at", "id", "assignee", "overdue"),
                      Index("ix_human_task_statistics", "case_id", "bpmn_id", "state", "due_at", "completed_at"),
                      Index("ix_human_task_received", "case_kind", "case_received_at", "bpmn_id", "state", "due_at",
                            "completed_at", "case_id"))

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
    # the case's kind and receipt, which never change: a period's deadlines without the join
    case_kind: Mapped[str] = mapped_column(String(32), default="", server_default="")
    case_received_at: Mapped[datetime | None]


class CaseEvent(Base):
    """Append-only audit log: who did what to which case, when, with before/after.

    Database triggers refuse UPDATE and DELETE (migration 0010a); the audit log page filters by
    time and by actor, newest first (`workflows.administration.audit`).
    """

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_at", "at"), Index("ix_case_event_actor", "actor", "id"))

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
    # mail/SMS: `pending` until workflows/notifications turned it into deliveries (`queued`);
    # a row naming a letter (the step's last) waits until that letter is archived
    delivery: Mapped[str] = mapped_column(String(8), default="pending", server_default="pending", index=True)
    letter_id: Mapped[int | None] = mapped_column(BigId)


class OutboxEvent(Base):
    """Ordered events for sharing partners (GET /api/v1/outbox?after=seq)."""

    __tablename__ = "outbox_event"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_instance.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    # the last letter the step that wrote it issued: the feed stops before this event while
    # that letter (or an earlier one of the case) is still pending (workflows/engine/outbox.py)
    letter_id: Mapped[int | None] = mapped_column(BigId, index=True)


class FollowUp(Base):
    """What a committed step asked for next — a case to open, or a message to another case —
    written in the step's transaction and deleted in the transaction that delivers it: a crash
    between the two leaves the row for the next sweep, and it is delivered exactly once."""

    __tablename__ = "case_follow_up"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    origin_case_id: Mapped[int] = mapped_column(ForeignKey("case_instance.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))  # start | message
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
