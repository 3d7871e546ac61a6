"""A user's notifications (站内通知): the unread ones, and marking them read."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.models.cases import Notification
from workflows.core.store import Store


def unread_notifications(session: Session, username: str, limit: int = 50) -> list[Notification]:
    query = (select(Notification).where(Notification.username == username, Notification.read_at.is_(None))
             .order_by(Notification.id.desc()).limit(limit))
    return list(session.scalars(query))


def mark_notifications_read(store: Store, username: str, notification_id: int | None, now: datetime) -> int:
    """Mark one (or, with None, every) unread notification of this user read; returns how many.

    Someone else's notification is NotFound, exactly like a missing one.
    """
    with store.write() as uow:
        if notification_id is None:
            rows = unread_notifications(uow.session, username, limit=10_000)
        else:
            rows = [_own_unread(uow.session, username, notification_id)]
        for notification in rows:
            notification.read_at = now
        uow.commit()
    return len(rows)


def _own_unread(session: Session, username: str, notification_id: int) -> Notification:
    row = session.get(Notification, notification_id)
    if row is None or row.username != username or row.read_at is not None:
        raise NotFound("通知不存在或已读")
    return row
