"""A user's notifications (站内通知): writing them, the unread ones, and marking them read.

Every notification is written in the transaction of the change it announces and handed over
(topic `notifications`) so that, after the commit, the courier can send it by e-mail or SMS to
those who want it (workflows/notifications); a rolled-back step tells nobody.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.models.cases import Notification
from workflows.core.models.people import User
from workflows.core.store import Store, hand_over

TOPIC = "notifications"  # what a transaction hands the courier: new notifications to deliver


def notify(session: Session, kind: str, message: str, now: datetime, *, case_id: int | None = None,
           role: str | None = None, username: str | None = None, letter_id: int | None = None) -> None:
    """Tell one user, or every active user holding `role` (one row each, so each reads its own;
    a role nobody holds keeps one row for the role)."""
    names = [username] if username else holders_of_role(session, role) if role else []
    for name in names or [None]:
        session.add(Notification(case_id=case_id, role=role, username=name, kind=kind, message=message[:500],
                                 created_at=now, letter_id=letter_id))
    announce(session)


def announce(session: Session) -> None:
    """Notifications were written in this transaction: deliver them after its commit."""
    hand_over(session, TOPIC, True)


def holders_of_role(session: Session, role: str) -> list[str]:
    padded = "," + User.roles + ","
    query = select(User.username).where(User.active.is_(True), padded.contains(f",{role},")).order_by(User.username)
    return list(session.scalars(query))


def unread_notifications(session: Session, username: str, limit: int = 50) -> list[Notification]:
    query = (select(Notification).where(Notification.username == username, Notification.read_at.is_(None))
             .order_by(Notification.id.desc()).limit(limit))
    return list(session.scalars(query))


def unread_count(session: Session, username: str) -> int:
    """The bell's number."""
    query = select(func.count(Notification.id)).where(Notification.username == username,
                                                       Notification.read_at.is_(None))
    return int(session.scalar(query) or 0)


def notifications_page(session: Session, username: str, *, limit: int = 50,
                       before: int | None = None) -> list[Notification]:
    """The user's notifications, read or not, newest first (keyset by id)."""
    query = select(Notification).where(Notification.username == username)
    if before is not None:
        query = query.where(Notification.id < before)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


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
