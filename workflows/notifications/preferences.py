"""What each user wants besides the in-app list: an e-mail address (validated), a mobile number
for SMS, and per group of notifications whether to get it by e-mail (all on by default)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from workflows.core.errors import InvalidInput, NotFound, RuleViolation
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import User
from workflows.core.store import Store
from workflows.people.users import checked_email, find_user

# group key -> label; a notification's kind belongs to one group (KIND_GROUP), the rest to case_update
GROUPS = {
    "task_assigned": "任务分派给我",
    "task_due": "任务今日到期或已超期",
    "escalation": "任务超期督办",
    "case_update": "案件进展",
    "account": "账号与主体绑定",
}
KIND_GROUP = {"task_assigned": "task_assigned", "task_due_today": "task_due", "task_overdue": "task_due",
              "sla_breach": "escalation", "binding_requested": "account", "binding_decided": "account",
              "binding_revoked": "account"}
STAFF_GROUPS = ("task_assigned", "task_due", "escalation", "case_update")
APPLICANT_GROUPS = ("case_update", "account")
MOBILE = re.compile(r"1[3-9]\d{9}")  # mainland mobile numbers


def group_of(kind: str) -> str:
    return KIND_GROUP.get(kind, "case_update")


def groups_for(roles: frozenset[str]) -> tuple[str, ...]:
    """The groups a user of these roles can receive (the settings page lists these)."""
    staff = roles - {"applicant"}
    return STAFF_GROUPS if staff else APPLICANT_GROUPS


def wants_email(user: User, kind: str) -> bool:
    return bool(user.email) and group_of(kind) not in (user.email_off or [])


@dataclass(frozen=True)
class Contact:
    email: str
    mobile: str
    email_groups: frozenset[str]  # the groups wanted by e-mail


def contact_of(user: User) -> Contact:
    off = set(user.email_off or [])
    return Contact(user.email or "", user.mobile or "", frozenset(g for g in GROUPS if g not in off))


def update_contact(store: Store, username: str, contact: Contact, now: datetime) -> Contact:
    """Save the user's address, number and choices (form and API alike); audited. Bad input
    changes nothing and names the field."""
    email, mobile = _checked_email(contact.email), _checked_mobile(contact.mobile)
    unknown = contact.email_groups - GROUPS.keys()
    if unknown:
        raise RuleViolation("未知的通知类别", {"email_groups": "未知的通知类别：" + "、".join(sorted(unknown))})
    with store.write() as uow:
        user = find_user(uow.session, username)
        if user is None:
            raise NotFound("用户不存在")
        before = {"email": user.email, "mobile": user.mobile, "email_off": user.email_off}
        user.email, user.mobile = email or None, mobile or None
        user.email_off = sorted(g for g in GROUPS if g not in contact.email_groups) or None
        uow.session.add(CaseEvent(case_id=None, at=now, actor=username, kind="notification_settings_changed",
                                  summary="修改通知设置", before=before,
                                  after={"email": user.email, "mobile": user.mobile, "email_off": user.email_off}))
        uow.commit()
        return contact_of(user)


def _checked_email(value: str) -> str:
    try:
        return checked_email(value)
    except InvalidInput as err:  # this operation's refusals are rule violations (422)
        raise RuleViolation(err.message, err.fields) from err


def _checked_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value and not MOBILE.fullmatch(value):
        raise RuleViolation("手机号码应为 11 位数字", {"mobile": "手机号码应为 11 位数字"})
    return value
