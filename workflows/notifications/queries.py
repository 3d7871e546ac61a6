"""What the bell, the notifications page and the settings page read (one short read each)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflows.core.errors import NotFound
from workflows.core.store import Store
from workflows.notifications.preferences import Contact, contact_of
from workflows.people.notices import notifications_page, unread_count
from workflows.people.users import find_user


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    message: str
    case_id: int | None
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class NotificationList:
    items: list[Item]
    unread: int
    next_before: int | None  # the `before` of the next (older) page; None: this is the last


def bell_count(store: Store, username: str) -> int:
    with store.read() as session:
        return unread_count(session, username)


def notification_list(store: Store, username: str, before: int | None = None, limit: int = 30) -> NotificationList:
    with store.read() as session:
        rows = notifications_page(session, username, limit=limit + 1, before=before)
        unread = unread_count(session, username)
    items = [Item(r.id, r.kind, r.message, r.case_id, r.created_at, r.read_at is not None) for r in rows[:limit]]
    return NotificationList(items, unread, items[-1].id if len(rows) > limit else None)


def contact_settings(store: Store, username: str) -> Contact:
    with store.read() as session:
        user = find_user(session, username)
        if user is None:
            raise NotFound("用户不存在")
        return contact_of(user)
