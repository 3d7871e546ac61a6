"""Who is calling: the session user (HTML) or a bearer token (API), as a `workflows` Actor.

Every blueprint authorizes through `current_actor()` and a decorator: by permission name
(`login_required_permission()`, `api_permission()`, asking `workflows.people.permissions`) or,
in areas not yet converted, by role (`login_required_roles()`, `api_auth()`), so the rules for sessions, tokens and CSRF live in one place.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request, session
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from workflows.people.access import ROLES, Actor
from workflows.people.models import User
from workflows.people.tokens import actor_for_token
from workflows.people.users import account
from workflows.people.permissions import allows, roles_holding

from ..errors import api_error
from ..extensions import login_manager
from ..runtime import get_runtime

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, eq=False)
class SessionUser(UserMixin):
    """What the session remembers; the fingerprint logs out sessions after a password change."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    subject_code: str | None
    department_code: str | None
    fingerprint: str

    @classmethod
    def from_user(cls, user: User) -> SessionUser:
        return cls(user.id, user.username, user.display_name or user.username, user.role_set,
                   user.subject_code, user.department_code, _fingerprint(user))

    def get_id(self) -> str:
        return f"{self.id}.{self.fingerprint}"

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.roles, self.subject_code, self.department_code)

    @property
    def role_names(self) -> list[str]:
        return [ROLES.get(role, role) for role in sorted(self.roles)]


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def start_session(user: User) -> SessionUser:
    """Log `user` in on a fresh session (nothing of the anonymous one carries over)."""
    session_user = SessionUser.from_user(user)
    session.clear()
    login_user(session_user)
    return session_user


@login_manager.user_loader
def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _sep, fingerprint = session_id.partition(".")
    if not user_id.isdigit():
        return None
    user = account(get_runtime().store, int(user_id))  # None too when the database is down
    if user is None or not user.active or _fingerprint(user) != fingerprint:
        return None
    return SessionUser.from_user(user)


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


def login_required_roles(*roles: str) -> Callable[[F], F]:
    """HTML views: anonymous → login page (with `next`); lacking every role in `roles` → 403."""
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return login_manager.unauthorized()
            if roles and not actor.has(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]
    return decorator


def api_auth(*roles: str) -> Callable[[F], F]:
    """API views: 401 without valid credentials, 403 without one of `roles` (none: any user).

    A browser session may call the API too, but then unsafe methods need the CSRF header,
    because the API blueprint is exempt from form CSRF checks.
    """
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return _unauthorized()
            if g.credit_auth_via == "session" and not _session_csrf_ok():
                return api_error(400, "csrf_failed",
                                 _("Send the X-CSRFToken header or use a bearer token."))
            if roles and not actor.has(*roles):
                return api_error(403, "forbidden", _("You do not have permission to do this."))
            return view(*args, **kwargs)
        wrapped.api_roles = roles  # type: ignore[attr-defined]  # read by the OpenAPI builder
        return wrapped  # type: ignore[return-value]
    return decorator


def may(name: str, **scope: object) -> bool:
    """Templates: does the caller hold permission `name` (for this subject/department)?

    The same question the operation behind a button asks, so no button leads to a 403.
    """
    return allows(current_actor(), name, **scope)  # type: ignore[arg-type]


def login_required_permission(name: str) -> Callable[[F], F]:
    """HTML views: anonymous → login page; an actor without permission `name` → 403."""
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return login_manager.unauthorized()
            if not allows(actor, name):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_permission = name  # type: ignore[attr-defined]
        wrapped.required_roles = roles_holding(name)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]
    return decorator


def api_permission(name: str | None) -> Callable[[F], F]:
    """API views: as `api_auth`, but the caller must hold permission `name` (None: any user).

    The roles holding it are documented in OpenAPI; the resource's scope (own subject, own
    department) is checked by the operation, inside its transaction.
    """
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return _unauthorized()
            if g.credit_auth_via == "session" and not _session_csrf_ok():
                return api_error(400, "csrf_failed",
                                 _("Send the X-CSRFToken header or use a bearer token."))
            if name is not None and not allows(actor, name):
                return api_error(403, "forbidden", _("You do not have permission to do this."))
            return view(*args, **kwargs)
        wrapped.api_permission = name  # type: ignore[attr-defined]
        wrapped.api_roles = roles_holding(name) if name else ()  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]
    return decorator


def _unauthorized():
    if g.credit_auth_via == "bad_token":
        return api_error(401, "invalid_token", _("The access token is invalid or has expired."))
    return api_error(401, "unauthorized", _("Please log in or provide a valid access token."))


def _session_csrf_ok() -> bool:
    if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except ValidationError:
        return False
    return True
