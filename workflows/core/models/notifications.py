"""Notifications leaving the system: the mail/SMS outbox and the reminders already given.

A step writes its `notification` rows (in-app) in its own transaction; after the commit a plain
function turns each into deliveries (one per channel the recipient wants) and sends them, so no
mail server is ever talked to while a write transaction is open (workflows/notifications).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


class NotificationDelivery(Base):
    """One message to one address over one channel (`email`, `sms`), retried until sent."""

    __tablename__ = "notification_delivery"
    __table_args__ = (Index("ix_notification_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # email | sms
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(BigId)
    letter_id: Mapped[int | None] = mapped_column(BigId)  # attached to the mail once archived
    status: Mapped[str] = mapped_column(String(8))  # pending | sent | failed (permanently refused)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class TaskReminder(Base):
    """A reminder given for a task on a day (`due_today`, `overdue`): at most one each."""

    __tablename__ = "task_reminder"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime]
