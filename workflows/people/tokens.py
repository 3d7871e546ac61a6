"""API bearer tokens: random, stored only as sha256, expiring (API.md "Auth").

Only the hash is kept so a leaked database cannot be replayed against the API. The functions
over a Store open one transaction each; the caller passes the clock's `now`.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.errors import Forbidden
from workflows.core.models.people import ApiToken, User
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.bindings import acting_subject
from workflows.people.users import actor_of


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, now: datetime, hours: int) -> tuple[str, datetime]:
    """A new token for `user` and its expiry; the user's expired tokens are purged meanwhile."""
    now = as_utc(now)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at <= now))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    session.add(ApiToken(token_hash=hash_token(token), user_id=user.id, created_at=now,
                         expires_at=expires_at))
    return token, expires_at


def user_for_token(session: Session, token: str, now: datetime) -> User | None:
    """The active user a valid, unexpired token belongs to; None for anything else."""
    return session.scalars(TOKEN_USER, {"token_hash": hash_token(token), "now": as_utc(now)}).first()


TOKEN_USER = (select(User).join(ApiToken, ApiToken.user_id == User.id)  # built once: every API call runs it
              .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.expires_at > bindparam("now"),
                     User.active))


def revoke_token(session: Session, token: str) -> bool:
    result = session.execute(delete(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    return bool(result.rowcount)


def issue_for(store: Store, user_id: int, now: datetime, hours: int) -> tuple[str, datetime]:
    """A new token for a signed-in user (the throttle already checked the password)."""
    with store.write() as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise ValueError(f"user {user_id} vanished while signing in")
        if user.must_change_password:
            raise Forbidden("管理员已重置您的密码，请先登录网页修改密码")
        token = issue_token(uow.session, user, now, hours)
        uow.commit()
    return token


def revoke(store: Store, token: str) -> bool:
    """Revoke a token (signing out an API client); False when it was unknown."""
    with store.write() as uow:
        revoked = revoke_token(uow.session, token)
        uow.commit()
    return revoked


def actor_for_token(store: Store, token: str, now: datetime) -> Actor | None:
    """Who a bearer token speaks for; None for an unknown, expired or deactivated one."""
    with store.read() as session:
        user = user_for_token(session, token, now)
        return actor_of(user, acting_subject(session, user, now)) if user else None
