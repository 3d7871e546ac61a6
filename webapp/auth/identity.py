"""Who is calling: the session user (HTML) or a bearer token (API), as a `workflows` Actor.

Views reach the caller through `current_actor()`; `guards.py` turns it into 401/403 by
named permission, so the rules for sessions, tokens and CSRF live in one place.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import g, request, session
from flask_login import UserMixin, current_user, login_user

from workflows.core.models.people import User
from workflows.people.access import ROLES, Actor
from workflows.people.sessions import session_fingerprint
from workflows.people.tokens import actor_for_token
from workflows.people.users import account

from ..extensions import login_manager
from ..runtime import get_runtime


@dataclass(frozen=True, eq=False)
class SessionUser(UserMixin):
    """What the session remembers; the fingerprint ends sessions after a password change or logout."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    subject_code: str | None
    department_code: str | None
    fingerprint: str
    must_change_password: bool = False

    @classmethod
    def from_user(cls, user: User, subject_code: str | None) -> SessionUser:
        """`subject_code`: the subject the account acts for now, under an active binding."""
        return cls(user.id, user.username, user.display_name or user.username, user.role_set,
                   subject_code, user.department_code, session_fingerprint(user), bool(user.must_change_password))

    def get_id(self) -> str:
        return f"{self.id}.{self.fingerprint}"

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles, self.subject_code, self.department_code)

    @property
    def role_names(self) -> list[str]:
        return [ROLES.get(role, role) for role in sorted(self.roles)]


def start_session(user: User) -> SessionUser:
    """Log `user` in on a fresh session (nothing of the anonymous one carries over)."""
    runtime = get_runtime()
    found = account(runtime.store, user.id, runtime.clock.now())
    session_user = SessionUser.from_user(user, found[1] if found else None)
    session.clear()
    login_user(session_user)
    return session_user


@login_manager.user_loader
def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _sep, fingerprint = session_id.partition(".")
    if not user_id.isdigit():
        return None
    runtime = get_runtime()
    found = account(runtime.store, int(user_id), runtime.clock.now())  # None too when the database is down
    if found is None:
        return None
    user, subject_code = found
    if not user.active or not hmac.compare_digest(session_fingerprint(user), fingerprint):
        return None
    return SessionUser.from_user(user, subject_code)


def current_actor() -> Actor | None:
    """The caller: a bearer token if the request carries one, else the logged-in user."""
    if "credit_actor" not in g:
        g.credit_actor, g.credit_auth_via = _resolve_actor()
    return g.credit_actor


def _resolve_actor() -> tuple[Actor | None, str | None]:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None, "bad_token"
        runtime = get_runtime()
        actor = actor_for_token(runtime.store, token.strip(), runtime.clock.now())
        return (actor, "token") if actor else (None, "bad_token")
    if current_user.is_authenticated:
        return current_user.actor, "session"
    return None, None


def bearer_token() -> str | None:
    """The raw bearer token of this request, if it authenticated with one."""
    current_actor()
    if g.credit_auth_via != "token":
        return None
    return request.headers["Authorization"].partition(" ")[2].strip()
