"""Who may act for a subject: the bindings of accounts to subjects, with their proof and expiry.

An account acts for a subject only while an active binding says so (issue 12): registering
creates an account, not a binding. Bindings come from a trusted identity provider's assertion,
a binding request reviewed by the credit office, or an administrator. Holders of a subject see
and may revoke the agents bound to it; an agent's binding ends on the authorisation's last day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc, to_local
from workflows.core.errors import Forbidden, InvalidInput, NotFound
from workflows.core.identifiers import mask_subject_code, validate_subject_code
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Subject, SubjectBinding, User
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.notices import notify
from workflows.people.permissions import allows

RELATIONS = {"holder": "主体本人或法定代表人", "agent": "委托代理人"}
SOURCES = {"idp": "统一身份认证", "review": "信用办审核", "admin": "管理员授予", "demo": "演示数据"}
REVOKE_REASON_MAX = 200


def today_of(now: datetime) -> date:
    """Authorisations end on a calendar day in China, whatever the server's zone."""
    return to_local(now).date()


def _active(today_param: str = "today"):
    return and_(SubjectBinding.revoked_at.is_(None),
                or_(SubjectBinding.valid_until.is_(None), SubjectBinding.valid_until >= bindparam(today_param)))


ACTIVE_FOR = (select(SubjectBinding.id)
              .where(SubjectBinding.user_id == bindparam("user_id"),
                     SubjectBinding.subject_code == bindparam("subject_code"), _active())
              .limit(1))


def acting_subject(session: Session, user: User, now: datetime) -> str | None:
    """The subject `user` acts for now: its chosen subject, while a binding to it is active."""
    if not user.subject_code:
        return None
    found = session.scalar(ACTIVE_FOR, {"user_id": user.id, "subject_code": user.subject_code,
                                        "today": today_of(now)})
    return user.subject_code if found is not None else None


def active_bindings(session: Session, user_id: int, now: datetime) -> list[SubjectBinding]:
    query = (select(SubjectBinding).where(SubjectBinding.user_id == user_id, _active())
             .order_by(SubjectBinding.id))
    return list(session.scalars(query, {"today": today_of(now)}))


def bindings_of_subject(session: Session, subject_code: str, now: datetime) -> list[tuple[SubjectBinding, User]]:
    """Every active binding to the subject, with its account (what a holder sees)."""
    query = (select(SubjectBinding, User).join(User, User.id == SubjectBinding.user_id)
             .where(SubjectBinding.subject_code == subject_code, _active())
             .order_by(SubjectBinding.relation.desc(), SubjectBinding.id))
    return [(b, u) for b, u in session.execute(query, {"today": today_of(now)})]


def holders_of(session: Session, subject_code: str, now: datetime) -> list[str]:
    """Usernames of the active holders of the subject (they hear of every new binding request)."""
    return sorted({user.username for binding, user in bindings_of_subject(session, subject_code, now)
                   if binding.relation == "holder" and user.active})


def is_holder(session: Session, actor: Actor, subject_code: str, now: datetime) -> bool:
    return actor.username in holders_of(session, subject_code, now)


def grant_binding(session: Session, *, user_id: int, subject_code: str, relation: str, source: str,
                  granted_by: str, now: datetime, valid_until: date | None = None,
                  case_id: int | None = None) -> SubjectBinding:
    """Bind the account to the subject (which must be registered); an active binding of the same
    relation is extended rather than duplicated. The account acts for it at once unless it
    already acts for another subject it is bound to. Audited in the caller's transaction."""
    _category, code = validate_subject_code(subject_code)
    if relation not in RELATIONS or source not in SOURCES:
        raise InvalidInput("绑定关系或来源不正确")
    if valid_until is not None and valid_until < today_of(now):
        raise InvalidInput("授权期限已过", {"valid_until": "授权截止日期不能早于今天"})
    user = session.get(User, user_id)
    if user is None or session.get(Subject, code) is None:
        raise NotFound("账号或主体不存在")
    binding = _same_active(session, user_id, code, relation, now)
    if binding is None:
        binding = SubjectBinding(user_id=user_id, subject_code=code, relation=relation, source=source,
                                 granted_by=granted_by, created_at=as_utc(now))
        session.add(binding)
    binding.valid_until, binding.case_id, binding.source = valid_until, case_id, source
    if acting_subject(session, user, now) is None:
        user.subject_code = code
    session.add(CaseEvent(
        case_id=case_id, at=as_utc(now), actor=granted_by, kind="binding_granted",
        summary=f"账号 {user.username} 绑定主体 {mask_subject_code(code)}（{RELATIONS[relation]}，{SOURCES[source]}）",
        after={"username": user.username, "subject_code": mask_subject_code(code), "relation": relation,
               "source": source, "valid_until": valid_until.isoformat() if valid_until else None}))
    session.flush()
    return binding


def _same_active(session: Session, user_id: int, code: str, relation: str, now: datetime) -> SubjectBinding | None:
    query = select(SubjectBinding).where(SubjectBinding.user_id == user_id, SubjectBinding.subject_code == code,
                                         SubjectBinding.relation == relation, _active())
    return session.scalars(query, {"today": today_of(now)}).first()


@dataclass(frozen=True)
class Revocation:
    binding_id: int
    reason: str = ""


def revoke_binding(store: Store, actor: Actor, revocation: Revocation, now: datetime) -> SubjectBinding:
    """End a binding: the credit office any; a holder an agent of its own subject; anyone their own.

    The agent is told, and stops acting for the subject at once (sessions and tokens check the
    binding on every request)."""
    reason = (revocation.reason or "").strip()
    if len(reason) > REVOKE_REASON_MAX:
        raise InvalidInput(f"撤销原因不超过{REVOKE_REASON_MAX}个字", {"reason": "过长"})
    with store.write() as uow:
        session = uow.session
        binding = session.get(SubjectBinding, revocation.binding_id)
        if binding is None or binding.revoked_at is not None:
            raise NotFound("绑定不存在或已撤销")
        user = session.get(User, binding.user_id)
        if not _may_revoke(session, actor, binding, user, now):
            raise NotFound("绑定不存在或已撤销")  # another subject's bindings are not even confirmed
        end_binding(session, actor, binding, user, now, reason)
        uow.commit()
    return binding


def end_binding(session: Session, actor: Actor, binding: SubjectBinding, user: User, now: datetime,
                reason: str) -> None:
    """Revoke in the caller's transaction: audited, the account told, its acting subject moved on."""
    binding.revoked_at, binding.revoked_by, binding.revoke_reason = as_utc(now), actor.username, reason or None
    _choose_next_subject(session, user, now)
    code = mask_subject_code(binding.subject_code)
    session.add(CaseEvent(case_id=binding.case_id, at=as_utc(now), actor=actor.username, kind="binding_revoked",
                          summary=f"撤销账号 {user.username} 与主体 {code} 的绑定"[:500],
                          before={"username": user.username, "subject_code": code, "relation": binding.relation},
                          after={"reason": reason or None}))
    if user.username != actor.username:
        notify(session, "binding_revoked", f"您的账号与主体 {code} 的绑定已被撤销" + (f"：{reason}" if reason else ""),
               as_utc(now), username=user.username)


def end_bindings(session: Session, actor: Actor, user: User, subject_code: str, now: datetime, reason: str) -> None:
    """End every active binding of the account to the subject (an administrator's change)."""
    query = select(SubjectBinding).where(SubjectBinding.user_id == user.id,
                                         SubjectBinding.subject_code == subject_code, _active())
    for binding in session.scalars(query, {"today": today_of(now)}).all():
        end_binding(session, actor, binding, user, now, reason)


def _may_revoke(session: Session, actor: Actor, binding: SubjectBinding, user: User, now: datetime) -> bool:
    if allows(actor, "may_manage_bindings") or actor.username == user.username:
        return True
    return binding.relation == "agent" and is_holder(session, actor, binding.subject_code, now)


def _choose_next_subject(session: Session, user: User, now: datetime) -> None:
    """After a revocation the account acts for another subject it is still bound to, or none."""
    session.flush()
    if acting_subject(session, user, now) is None:
        remaining = active_bindings(session, user.id, now)
        user.subject_code = remaining[0].subject_code if remaining else None


def switch_subject(store: Store, user_id: int, subject_code: str, now: datetime) -> None:
    """Act for another subject the account is bound to (an agency serving several companies)."""
    with store.write() as uow:
        user = uow.session.get(User, user_id)
        codes = {b.subject_code for b in active_bindings(uow.session, user_id, now)} if user else set()
        if subject_code not in codes:
            raise Forbidden("您的账号未绑定该主体")
        user.subject_code = subject_code
        uow.commit()


def my_bindings(store: Store, user_id: int, now: datetime) -> list[tuple[SubjectBinding, Subject]]:
    """The account's active bindings with their subjects (the portal's 我的主体)."""
    with store.read() as session:
        query = (select(SubjectBinding, Subject).join(Subject, Subject.code == SubjectBinding.subject_code)
                 .where(SubjectBinding.user_id == user_id, _active()).order_by(SubjectBinding.id))
        return [(b, s) for b, s in session.execute(query, {"today": today_of(now)})]


def subject_bindings(store: Store, actor: Actor, subject_code: str, now: datetime) -> list[tuple[SubjectBinding, User]]:
    """The accounts bound to a subject, for its holders and the credit office only."""
    with store.read() as session:
        if not (allows(actor, "may_manage_bindings") or is_holder(session, actor, subject_code, now)):
            raise Forbidden("只有该主体的持有人或信用办可以查看其绑定的账号")
        return bindings_of_subject(session, subject_code, now)
