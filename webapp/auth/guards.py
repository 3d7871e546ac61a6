"""The one way a view is guarded: by a named permission of `workflows.people.permissions`.

HTML views send anonymous callers to the login page; API views answer 401/403 in the API.md
error shape. Templates ask the same policy through `may(...)`, so no button leads to a 403.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, has_request_context, request
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from workflows.people.permissions import allows, roles_holding

from ..errors import api_error
from ..extensions import login_manager
from .identity import current_actor

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def may(name: str, **scope: object) -> bool:
    """Templates: does the caller hold permission `name` (for this subject/department)?

    The same question the operation behind a button asks, so no button leads to a 403.
    """
    return allows(current_actor() if has_request_context() else None, name, **scope)  # type: ignore[arg-type]


def login_required_permission(name: str | None) -> Callable[[F], F]:
    """HTML views: anonymous → login page; an actor without permission `name` → 403 (None: any user)."""
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return login_manager.unauthorized()
            if name is not None and not allows(actor, name):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_permission = name  # type: ignore[attr-defined]
        wrapped.required_roles = roles_holding(name) if name else ()  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]
    return decorator


def api_permission(name: str | None) -> Callable[[F], F]:
    """API views: 401 without valid credentials, 403 without permission `name` (None: any user).

    A browser session may call the API too, but then unsafe methods need the CSRF header,
    because the API blueprint is exempt from form CSRF checks.
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
