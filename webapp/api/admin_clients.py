"""System clients over the API (twins of /admin/clients): list, create, rotate the token, revoke.

The clear token is in the answer to create and rotate only; lists show its prefix.
"""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _

from workflows.administration.clients import (
    IssuedToken,
    NewClient,
    create_client,
    list_clients,
    revoke_client,
    rotate_token,
)
from workflows.core.errors import InvalidInput
from workflows.core.models.people import ApiClient
from workflows.people.clients import SCOPES, client_username

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .util import iso_local, json_body

TAGS = ["admin"]
PERMISSION = "may_manage_clients"
_TIME = {"type": ["string", "null"], "format": "date-time"}
CLIENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"},
    "actor": {"type": "string", "description": "how its calls are recorded: client:<name>"},
    "scopes": {"type": "array", "items": {"type": "string", "enum": list(SCOPES)}},
    "department_code": {"type": ["string", "null"]}, "token_prefix": {"type": "string"},
    "active": {"type": "boolean"}, "created_at": {"type": "string", "format": "date-time"},
    "created_by": {"type": "string"}, "last_used_at": _TIME, "revoked_at": _TIME,
    "revoked_by": {"type": ["string", "null"]}}}
ISSUED = {"type": "object", "properties": {
    **CLIENT["properties"], "token": {"type": "string", "description": "shown in this answer only"}}}
NEW_CLIENT = {"type": "object", "required": ["name", "scopes"], "properties": {
    "name": {"type": "string", "maxLength": 57, "pattern": r"^[\w.-]+$"},
    "description": {"type": "string", "maxLength": 500},
    "scopes": CLIENT["properties"]["scopes"],
    "department_code": {"type": ["string", "null"], "description": "required with records_write"}}}
LIST = {"type": "object", "properties": {"items": {"type": "array", "items": CLIENT},
                                         "next_cursor": {"type": ["string", "null"]}}}


@bp.get("/admin/clients")
@document("List system clients (active first)", tags=TAGS, responses={200: ("Every client", LIST)})
@api_permission(PERMISSION)
def api_clients() -> Response:
    return jsonify(items=[client_json(c) for c in list_clients(get_runtime().store)], next_cursor=None)


@bp.post("/admin/clients")
@document("Create a system client; the answer holds its token, shown this once", tags=TAGS, request=NEW_CLIENT,
          responses={201: ("The client and its token", ISSUED)}, errors=(400, 409))
@api_permission(PERMISSION)
def api_add_client() -> tuple[Response, int]:
    body = json_body()
    spec = NewClient(_text(body, "name"), _scopes(body), _text(body, "description", ""),
                     _text(body, "department_code", "") or None)
    runtime = get_runtime()
    return _no_store(issued_json(create_client(runtime.store, current_actor(), spec, runtime.clock.now()))), 201


@bp.post("/admin/clients/<int:client_id>/rotate")
@document("Issue a new token for a client; the old one stops working at once", tags=TAGS,
          responses={200: ("The client and its new token", ISSUED)}, errors=(404, 409))
@api_permission(PERMISSION)
def api_rotate_client(client_id: int) -> Response:
    runtime = get_runtime()
    return _no_store(issued_json(rotate_token(runtime.store, current_actor(), client_id, runtime.clock.now())))


@bp.post("/admin/clients/<int:client_id>/revoke")
@document("Revoke a client: its token stops working at once", tags=TAGS,
          responses={200: ("The client", CLIENT)}, errors=(404,))
@api_permission(PERMISSION)
def api_revoke_client(client_id: int) -> Response:
    runtime = get_runtime()
    return jsonify(client_json(revoke_client(runtime.store, current_actor(), client_id, runtime.clock.now())))


def _text(body: dict[str, Any], key: str, default: str | None = None) -> str:
    value = body.get(key, default)
    if value is None and default is not None:
        value = default
    if not isinstance(value, str):
        raise InvalidInput(_("Field %(field)s must be text.", field=key), {key: _("Must be text")})
    return value


def _scopes(body: dict[str, Any]) -> tuple[str, ...]:
    scopes = body.get("scopes")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise InvalidInput(_("Field %(field)s must be a list of scopes.", field="scopes"),
                           {"scopes": _("A list of: %(scopes)s", scopes=", ".join(SCOPES))})
    return tuple(scopes)


def _no_store(body: dict[str, Any]) -> Response:
    """An answer holding a clear token: no cache may keep it."""
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def client_json(client: ApiClient) -> dict[str, Any]:
    return {"id": client.id, "name": client.name, "description": client.description,
            "actor": client_username(client.name), "scopes": sorted(client.scope_set),
            "department_code": client.department_code, "token_prefix": client.token_prefix,
            "active": client.active, "created_at": iso_local(client.created_at), "created_by": client.created_by,
            "last_used_at": iso_local(client.last_used_at) if client.last_used_at else None,
            "revoked_at": iso_local(client.revoked_at) if client.revoked_at else None,
            "revoked_by": client.revoked_by}


def issued_json(issued: IssuedToken) -> dict[str, Any]:
    return {**client_json(issued.client), "token": issued.token}
