"""Out-of-office delegation (issue 17): a reviewer names a substitute for a period.

While a delegation runs (its local dates, both included, and not ended early), a task a
supervisor hands to the reviewer goes to the substitute, and the substitute sees and may
complete the tasks the reviewer had claimed. Creating and ending one are audit events.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc, to_local
from workflows.core.errors import InvalidInput, NotFound, RuleViolation
from workflows.core.limits import day_field, text_field
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import User
from workflows.core.models.worklists import Delegation
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import allows, require

LONGEST = timedelta(days=366)
WORKER_ROLES = frozenset({"reviewer", "supervisor", "department", "admin"})


@dataclass(frozen=True)
class DelegationRequest:
    substitute: Any
    starts_on: Any
    ends_on: Any
    note: Any = ""


def running(today: date):
    """The condition of a delegation in force on `today` (Asia/Shanghai)."""
    return (Delegation.starts_on <= today) & (Delegation.ends_on >= today) & Delegation.ended_at.is_(None)


def substitute_for(session: Session, username: str, now: datetime) -> str | None:
    """Who stands in for `username` now, if anyone."""
    query = select(Delegation.substitute).where(Delegation.username == username, running(to_local(now).date()))
    return session.scalars(query.order_by(Delegation.id.desc())).first()


def stood_in_for(session: Session, substitute: str, now: datetime) -> list[str]:
    """Whose tasks `substitute` takes care of now."""
    query = select(Delegation.username).where(Delegation.substitute == substitute, running(to_local(now).date()))
    return sorted(set(session.scalars(query)))


def delegate(store: Store, actor: Actor, wanted: DelegationRequest, now: datetime) -> Delegation:
    """The actor names a substitute from `starts_on` (today at the earliest) to `ends_on`."""
    require(actor, "may_work_tasks", "只有办理任务的工作人员可以设置外出代办")
    today = to_local(now).date()
    starts_on, ends_on, substitute, note = _checked(wanted, today)
    with store.write() as uow:
        s = uow.session
        _check_substitute(s, actor, substitute)
        _check_overlap(s, actor.username, substitute, starts_on, ends_on)
        row = Delegation(username=actor.username, substitute=substitute, starts_on=starts_on, ends_on=ends_on,
                         note=note, created_at=as_utc(now), created_by=actor.username)
        s.add(row)
        s.flush()
        _audit(s, actor, "delegation_created", f"设置外出代办：{starts_on} 至 {ends_on} 由 {substitute} 代办", now,
               {"delegation_id": row.id, "username": actor.username, "substitute": substitute,
                "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
        uow.commit()
        return row


def end_delegation(store: Store, actor: Actor, delegation_id: int, now: datetime) -> Delegation:
    """The reviewer (or a supervisor) ends a delegation early; others' are not found."""
    with store.write() as uow:
        row = uow.session.get(Delegation, delegation_id)
        if row is None or not (row.username == actor.username or allows(actor, "may_assign_tasks")):
            raise NotFound("代办设置不存在")
        if row.ended_at is None:
            row.ended_at, row.ended_by = as_utc(now), actor.username
            _audit(uow.session, actor, "delegation_ended", f"结束外出代办：{row.username} → {row.substitute}", now,
                   {"delegation_id": row.id, "username": row.username, "substitute": row.substitute})
            uow.commit()
        return row


def delegations_of(store: Store, actor: Actor, now: datetime) -> list[Delegation]:
    """The actor's own delegations and those naming it as substitute, not yet over."""
    today = to_local(now).date()
    with store.read() as session:
        query = (select(Delegation).where(or_(Delegation.username == actor.username,
                                              Delegation.substitute == actor.username),
                                          Delegation.ends_on >= today, Delegation.ended_at.is_(None))
                 .order_by(Delegation.starts_on, Delegation.id))
        return list(session.scalars(query))


def substitute_choices(store: Store, actor: Actor) -> list[tuple[str, str]]:
    """Active colleagues sharing one of the actor's working roles: (username, name)."""
    mine = actor.roles & WORKER_ROLES
    with store.read() as session:
        users = session.scalars(select(User).where(User.active.is_(True), User.username != actor.username)
                                .order_by(User.username))
        return [(u.username, (u.display_name or "").strip() or u.username) for u in users if u.role_set & mine]


def _checked(wanted: DelegationRequest, today: date) -> tuple[date, date, str, str]:
    errors: dict[str, str] = {}
    substitute = text_field(wanted.substitute, "substitute", "代办人", 64, required=True, errors=errors)
    starts_on = day_field(wanted.starts_on, "starts_on", "开始日期", errors=errors)
    ends_on = day_field(wanted.ends_on, "ends_on", "结束日期", errors=errors)
    note = text_field(wanted.note, "note", "说明", 200, errors=errors)
    if starts_on is None and "starts_on" not in errors:
        errors["starts_on"] = "请填写开始日期"
    if ends_on is None and "ends_on" not in errors:
        errors["ends_on"] = "请填写结束日期"
    if errors:
        raise InvalidInput("代办设置有误", errors)
    assert starts_on is not None and ends_on is not None
    if starts_on < today:
        errors["starts_on"] = f"开始日期不能早于今天（{today.isoformat()}）"
    if ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    elif ends_on - starts_on > LONGEST:
        errors["ends_on"] = "代办期限最长一年"
    if errors:
        raise RuleViolation("代办日期有误", errors)
    return starts_on, ends_on, substitute, note


def _check_substitute(session: Session, actor: Actor, substitute: str) -> None:
    if substitute == actor.username:
        raise RuleViolation("不能指定本人为代办人", {"substitute": "请选择其他同事"})
    user = session.scalars(select(User).where(User.username == substitute)).first()
    if user is None or not user.active or not user.role_set & actor.roles & WORKER_ROLES:
        raise RuleViolation("代办人须为在岗、可办理同类任务的同事", {"substitute": "该用户不能代办您的任务"})


def _check_overlap(session: Session, username: str, substitute: str, starts_on: date, ends_on: date) -> None:
    """One delegation at a time per person, and no chains (a substitute who is away himself)."""
    overlapping = (Delegation.starts_on <= ends_on) & (Delegation.ends_on >= starts_on) & Delegation.ended_at.is_(None)
    if session.scalars(select(Delegation.id).where(Delegation.username == username, overlapping)).first():
        raise RuleViolation("该期间已有代办设置", {"starts_on": "与已有的代办期间重叠，请先结束原设置"})
    if session.scalars(select(Delegation.id).where(Delegation.username == substitute, overlapping)).first():
        raise RuleViolation("代办人在该期间也外出", {"substitute": "代办人在该期间已委托他人代办"})
    if session.scalars(select(Delegation.id).where(Delegation.substitute == username, overlapping)).first():
        raise RuleViolation("您在该期间正为他人代办", {"starts_on": "您在该期间是他人的代办人，请先结束那项代办"})


def _audit(session: Session, actor: Actor, kind: str, summary: str, now: datetime, after: dict[str, Any]) -> None:
    session.add(CaseEvent(case_id=None, kind=kind, actor=actor.username, at=as_utc(now), summary=summary[:500],
                          after=after))
