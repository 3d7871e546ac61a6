"""View decorators that ask the one permission policy (`workflows.people.permissions`) by name.

Pages and API routes name the permission they need, so a menu entry, a button and the route
behind it are decided by the same table. Sessions, tokens and CSRF work as in `identity`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_babel import gettext as _

from workflows.people.permissions import allows, roles_holding

from ..errors import api_error
from ..extensions import login_manager
from .identity import _session_csrf_ok, _unauthorized, current_actor

F = TypeVar("F", bound=Callable[..., Any])


def login_required_permission(name: str) -> Callable[[F], F]:
    """HTML views: anonymous → login page (with `next`); lacking permission `name` → 403."""
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
        return wrapped  # type: ignore[return-value]
    return decorator


def api_permission(name: str) -> Callable[[F], F]:
    """API views: 401 without valid credentials, 400 without the CSRF header on a session's
    unsafe request, 403 without permission `name`."""
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                return _unauthorized()
            if g.credit_auth_via == "session" and not _session_csrf_ok():
                return api_error(400, "csrf_failed",
                                 _("Send the X-CSRFToken header or use a bearer token."))
            if not allows(actor, name):
                return api_error(403, "forbidden", _("You do not have permission to do this."))
            return view(*args, **kwargs)
        wrapped.api_roles = roles_holding(name)  # type: ignore[attr-defined]  # read by the OpenAPI builder
        wrapped.required_permission = name  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]
    return decorator
