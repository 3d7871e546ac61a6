"""Deliver notifications after their commit: expand each into mails/SMS, then send what is due.

`deliver_notifications` is the one plain function the courier thread, `credit-cases tick`, the
serve sweep and Celery beat run. Expanding is one short transaction (the notification row is the
outbox: written with the change it announces). Sending happens outside any transaction: each
delivery is first leased (`next_attempt_at` moved ahead in a short write, so two workers do not
send it twice), then sent, then marked. A failure is retried with a growing delay (1 min, 2 min,
… at most 1 h) until the server takes it; only a permanent refusal (an unknown recipient) ends it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from workflows.core.models.cases import Case, Notification
from workflows.core.models.letters import ISSUED, PENDING, Letter
from workflows.core.models.notifications import NotificationDelivery
from workflows.core.models.people import User
from workflows.core.store import Store
from workflows.notifications.channels import Attachment, Courier, PermanentFailure
from workflows.notifications.preferences import group_of, wants_email

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # a worker that died while sending gives the mail back after this
RETRY_FIRST, RETRY_MAX = timedelta(minutes=1), timedelta(hours=1)
SUBJECT_PREFIX = "【公共信用案件】"
DIGEST_KINDS = ("task_due_today", "task_overdue")  # several at once: one mail per person


@dataclass(frozen=True)
class Report:
    queued: int = 0
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later) or refused for good

    def as_dict(self) -> dict[str, int]:
        return {"mails_queued": self.queued, "mails_sent": self.sent, "mails_failed": self.failed}


def deliver_notifications(store: Store, courier: Courier, now: datetime) -> Report:
    """Expand the notifications ready to go, then send every delivery due now."""
    queued = queue_deliveries(store, courier, now)
    sent, failed = send_due(store, courier, now)
    return Report(queued, sent, failed)


# -- expanding: notification -> deliveries, in one short transaction ---------------------------------

def queue_deliveries(store: Store, courier: Courier, now: datetime, limit: int = 500) -> int:
    """Each ready notification becomes a delivery per channel its recipient wants (none when
    nothing is configured); a notification naming a letter waits until the letter is archived."""
    with store.write() as uow:
        rows = uow.session.execute(_ready(limit)).all()
        deliveries = _deliveries(uow.session, courier, rows, now)
        uow.session.add_all(deliveries)
        for notification, _user in rows:
            notification.delivery = "queued" if any(_of(d, notification) for d in deliveries) else "done"
        uow.commit()
    return len(deliveries)


def _ready(limit: int):
    letter_pending = (select(Letter.id).where(Letter.case_id == Notification.case_id, Letter.id <= Notification.letter_id,
                                              Letter.status == PENDING).exists())
    return (select(Notification, User).outerjoin(User, User.username == Notification.username)
            .where(Notification.delivery == "pending", ~letter_pending)
            .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True, of=Notification))


def _of(delivery: NotificationDelivery, notification: Notification) -> bool:
    return delivery.notification_id == notification.id or notification.id in getattr(delivery, "covers", ())


def _deliveries(session: Session, courier: Courier, rows, now: datetime) -> list[NotificationDelivery]:
    out: list[NotificationDelivery] = []
    digests: dict[str, list[Notification]] = {}
    titles = _case_titles(session, {n.case_id for n, _u in rows if n.case_id})
    for notification, user in rows:
        if user is None or not user.active:
            continue
        if courier.mailer and wants_email(user, notification.kind):
            if notification.kind in DIGEST_KINDS:
                digests.setdefault(user.username, []).append(notification)
            else:
                out.append(_mail(courier, user, [notification], titles, now))
        if courier.sms and user.mobile and group_of(notification.kind) in ("case_update", "account"):
            out.append(_delivery(notification, user, "sms", user.mobile, "", notification.message, now))
    users = {u.username: u for _n, u in rows if u is not None}
    out.extend(_mail(courier, users[name], items, titles, now) for name, items in digests.items())
    return out


def _mail(courier: Courier, user: User, items: list[Notification], titles: dict[int, str],
          now: datetime) -> NotificationDelivery:
    first = items[0]
    staff = bool(user.role_set - {"applicant"})
    lines = [f"{user.display_name or user.username}，您好：", ""]
    for item in items:
        lines.append(item.message)
        if item.case_id:
            area = "desk" if staff else "portal"
            lines.append(f"办理入口：{courier.public_url}/{area}/cases/{item.case_id}")
        lines.append("")
    if first.letter_id:
        lines.append("相关文书见附件（PDF），也可在案件页面下载。")
    lines += ["此邮件由系统自动发送，请勿直接回复。",
              f"不需要此类邮件时，可在通知设置中关闭：{courier.public_url}/account/notifications"]
    delivery = _delivery(first, user, "email", user.email or "", _subject(items, titles), "\n".join(lines), now)
    delivery.covers = [item.id for item in items]  # transient: which notifications this mail carries
    return delivery


def _subject(items: list[Notification], titles: dict[int, str]) -> str:
    first = items[0]
    if first.kind in DIGEST_KINDS:
        return f"{SUBJECT_PREFIX}待办提醒：{len(items)} 项任务今日到期或已超期"
    case = f"案件 #{first.case_id}" + (f" {titles[first.case_id]}" if titles.get(first.case_id) else "")
    if first.kind == "task_assigned":
        return f"{SUBJECT_PREFIX}任务分派：{case}"[:200]
    if first.kind == "sla_breach":
        return f"{SUBJECT_PREFIX}超期督办：{case}"[:200]
    return f"{SUBJECT_PREFIX}{first.message[:60]}"[:200]


def _delivery(notification: Notification, user: User, channel: str, address: str, subject: str, body: str,
              now: datetime) -> NotificationDelivery:
    return NotificationDelivery(notification_id=notification.id, channel=channel, username=user.username,
                                address=address, subject=subject, body=body, case_id=notification.case_id,
                                letter_id=notification.letter_id if channel == "email" else None,
                                status="pending", attempts=0, next_attempt_at=now, created_at=now)


def _case_titles(session: Session, case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    return dict(session.execute(select(Case.id, Case.title).where(Case.id.in_(case_ids))).all())


# -- sending: outside any transaction ---------------------------------------------------------------

def send_due(store: Store, courier: Courier, now: datetime, limit: int = 200) -> tuple[int, int]:
    """Send the deliveries due now; returns (sent, failed attempts)."""
    with store.read() as session:
        ids = list(session.scalars(select(NotificationDelivery.id).where(
            NotificationDelivery.status == "pending", NotificationDelivery.next_attempt_at <= now)
            .order_by(NotificationDelivery.id).limit(limit)))
    sent = failed = 0
    for delivery_id in ids:
        outcome = send_one(store, courier, delivery_id, now)
        sent += outcome == "sent"
        failed += outcome in ("retry", "failed")
    return sent, failed


def send_one(store: Store, courier: Courier, delivery_id: int, now: datetime) -> str:
    """"sent", "retry", "failed", or "skipped" (another worker holds it, or no channel now)."""
    delivery = _lease(store, delivery_id, now)
    if delivery is None:
        return "skipped"
    try:
        _send(store, courier, delivery)
    except PermanentFailure as err:
        _finish(store, delivery_id, status="failed", last_error=str(err)[:500], attempts=delivery.attempts + 1)
        log.warning("notification delivery %s refused for good: %s", delivery_id, err)
        return "failed"
    except Exception as err:  # noqa: BLE001 - the server is down or busy: retried later, never lost
        attempts = delivery.attempts + 1
        _finish(store, delivery_id, status="pending", attempts=attempts, last_error=f"{type(err).__name__}: {err}"[:500],
                next_attempt_at=now + retry_delay(attempts))
        log.warning("notification delivery %s failed (attempt %s), retried later: %s", delivery_id, attempts, err)
        return "retry"
    _finish(store, delivery_id, status="sent", attempts=delivery.attempts + 1, sent_at=now, last_error=None)
    return "sent"


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST * (2 ** max(attempts - 1, 0)), RETRY_MAX)


def _lease(store: Store, delivery_id: int, now: datetime) -> NotificationDelivery | None:
    with store.write() as uow:
        leased = uow.session.execute(
            update(NotificationDelivery)
            .where(NotificationDelivery.id == delivery_id, NotificationDelivery.status == "pending",
                   NotificationDelivery.next_attempt_at <= now)
            .values(next_attempt_at=now + LEASE).returning(NotificationDelivery.id)).first()
        row = uow.session.get(NotificationDelivery, delivery_id) if leased else None
        uow.commit()
    return row


def _send(store: Store, courier: Courier, delivery: NotificationDelivery) -> None:
    if delivery.channel == "sms":
        if courier.sms is None:
            raise RuntimeError("短信网关未配置")
        courier.sms.send(delivery.address, delivery.body)
        return
    if courier.mailer is None:
        raise RuntimeError("邮件服务器未配置")
    courier.mailer.send(delivery.address, delivery.subject, delivery.body, _attachments(store, delivery))


def _attachments(store: Store, delivery: NotificationDelivery) -> list[Attachment]:
    """The letter(s) of the step the mail announces: its last one and those before it that day."""
    if delivery.letter_id is None or delivery.case_id is None:
        return []
    with store.read() as session:
        last = session.get(Letter, delivery.letter_id)
        if last is None or last.status != ISSUED or last.pdf is None:
            return []
        same_step = session.scalars(select(Letter).where(and_(
            Letter.case_id == delivery.case_id, Letter.id <= delivery.letter_id, Letter.status == ISSUED,
            Letter.issued_at == last.issued_at)).order_by(Letter.id)).all()
        return [Attachment(f"{letter.number or letter.id}.pdf", letter.pdf) for letter in same_step if letter.pdf]


def _finish(store: Store, delivery_id: int, **values) -> None:
    with store.write() as uow:
        uow.session.execute(update(NotificationDelivery).where(NotificationDelivery.id == delivery_id).values(**values))
        uow.commit()
