"""API bearer tokens: random, stored only as sha256, expiring (API.md "Auth").

Only the hash is kept so a leaked database cannot be replayed against the API. No Flask
here: the caller passes the session and the clock's `now`.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.people.models import ApiToken, User


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
