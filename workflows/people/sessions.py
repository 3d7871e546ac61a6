"""Server-side end of browser sessions: a cookie names its user and a fingerprint of that user.

The fingerprint covers the password hash and the user's session epoch, and it is checked on
every request. Changing the password or logging out (which bumps the epoch) therefore refuses
every cookie issued before, even one copied and replayed: signed cookies alone cannot do that.
Logging out ends all of that user's browser sessions, on every device — the safe side.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import update

from workflows.core.models.people import User
from workflows.core.store import Store


def session_fingerprint(user: User) -> str:
    """What a session cookie must still match: the password hash and the session epoch."""
    material = f"{user.password_hash}\n{user.session_epoch or 0}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def end_sessions(store: Store, user_id: int) -> None:
    """Log the user out everywhere: cookies carrying the old epoch no longer load."""
    with store.write() as uow:
        uow.session.execute(update(User).where(User.id == user_id)
                            .values(session_epoch=User.session_epoch + 1))
        uow.commit()
