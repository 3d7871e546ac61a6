"""`POST /api/v1/auth/token`: trade a username and password for a bearer token."""
from __future__ import annotations

import math

from flask import Response, jsonify, request
from flask_babel import gettext as _

from workflows.core.clock import as_utc
from workflows.core.errors import InvalidInput
from workflows.people.login_throttle import sign_in
from workflows.people.tokens import issue_for, revoke

from ..auth import api_permission, bearer_token
from ..auth.views import locked_message, password_disabled_message
from ..errors import api_error
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .util import iso_local, json_body

CREDENTIALS = {"type": "object", "required": ["username", "password"], "properties": {
    "username": {"type": "string"}, "password": {"type": "string", "format": "password"}}}
TOKEN = {"type": "object", "required": ["token", "expires_at"], "properties": {
    "token": {"type": "string"}, "token_type": {"const": "Bearer"},
    "expires_at": {"type": "string", "format": "date-time"}}}


@bp.post("/auth/token")
@document("Issue a bearer token", tags=["auth"], request=CREDENTIALS,
          responses={201: ("Token issued", TOKEN)}, errors=(401, 403, 429))
def create_token() -> Response | tuple[Response, int]:
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not (isinstance(username, str) and username and isinstance(password, str) and password):
        raise InvalidInput(_("Username and password are required."),
                           {"username": _("Required"), "password": _("Required")})
    runtime = get_runtime()
    attempt = sign_in(runtime.store, runtime.clock.now(), username, password, request.remote_addr or "",
                      password_disabled_for=runtime.settings.password_signin_disabled_roles)
    if attempt.locked_until is not None:
        response = api_error(429, "too_many_attempts", locked_message(attempt.locked_until))
        wait = (attempt.locked_until - as_utc(runtime.clock.now())).total_seconds()
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    if attempt.password_disabled:
        return api_error(403, "password_signin_disabled", password_disabled_message())
    user = attempt.user
    if user is None:
        return api_error(401, "invalid_credentials", _("Incorrect username or password."))
    token, expires_at = issue_for(runtime.store, user.id, runtime.clock.now(), runtime.settings.token_hours)
    response = jsonify(token=token, token_type="Bearer", expires_at=iso_local(expires_at))
    response.headers["Cache-Control"] = "no-store"  # a bearer token: no cache (nor idempotency key) keeps it
    return response, 201


@bp.delete("/auth/token")
@document("Revoke the bearer token used for this request", tags=["auth"],
          responses={204: ("Token revoked", None)})
@api_permission(None)
def delete_token() -> tuple[str, int]:
    token = bearer_token()
    if token is None:
        raise InvalidInput(_("Only a bearer token can be revoked."))
    revoke(get_runtime().store, token)
    return "", 204
