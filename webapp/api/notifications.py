"""The bell and the notification settings through the API: list one's notifications, mark them
read, read and change where and which of them go by e-mail (the UI's twins)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.core.errors import InvalidInput
from workflows.notifications.preferences import GROUPS, Contact, groups_for, update_contact
from workflows.notifications.queries import NotificationList, contact_settings, notification_list
from workflows.people.notices import mark_notifications_read

from ..auth.guards import api_permission
from ..auth.identity import current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .schemas import BOOL, CURSOR, INT, MOMENT, TEXT, nullable, obj
from .util import iso_local, json_body, parse_int

TAGS = ("notifications",)
ITEM = obj({"id": INT, "kind": TEXT, "message": TEXT, "case_id": nullable(INT), "created_at": MOMENT, "read": BOOL})
LISTING = obj({"items": {"type": "array", "items": ITEM}, "next_cursor": CURSOR, "unread": INT})
MARKED = obj({"read": INT, "unread": INT})
STRINGS = {"type": "array", "items": TEXT}
SETTINGS = obj({"email": TEXT, "mobile": TEXT, "email_groups": STRINGS,
                "groups": {"type": "object", "additionalProperties": TEXT,
                           "description": "the groups this user can receive, key → label"}})
SETTINGS_BODY = {"type": "object", "properties": {
    "email": {"type": "string", "maxLength": 254, "description": "empty: no e-mail"},
    "mobile": {"type": "string", "maxLength": 20, "description": "for the SMS gateway; empty: none"},
    "email_groups": {"type": "array", "maxItems": 10, "items": {"type": "string", "enum": list(GROUPS)},
                     "description": "groups wanted by e-mail"}}}


@bp.get("/notifications")
@api_permission(None)
@document("The caller's notifications, newest first, and how many are unread (the bell)", tags=TAGS,
          parameters=(query_param("cursor", "the `next_cursor` of the previous page"),
                      query_param("limit", "page size (1–100, default 30)", {"type": "integer"})),
          responses={200: ("notifications", LISTING)})
def notifications():
    cursor = parse_int(request.args["cursor"], "cursor") if request.args.get("cursor") else None
    limit = parse_int(request.args["limit"], "limit") if request.args.get("limit") else 30
    if not 1 <= limit <= 100:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 100")})
    return jsonify(_listing(notification_list(get_runtime().store, current_actor().username, cursor, limit)))


@bp.post("/notifications/<int:notification_id>/read")
@api_permission(None)
@document("Mark one of the caller's notifications read", tags=TAGS, errors=(404,),
          responses={200: ("how many were marked, and how many stay unread", MARKED)})
def read_notification(notification_id: int):
    return jsonify(_mark(notification_id))


@bp.post("/notifications/read")
@api_permission(None)
@document("Mark all of the caller's notifications read", tags=TAGS,
          responses={200: ("how many were marked, and how many stay unread", MARKED)})
def read_all_notifications():
    return jsonify(_mark(None))


@bp.get("/account/notifications")
@api_permission(None)
@document("Where the caller's notifications go besides the bell", tags=TAGS, errors=(404,),
          responses={200: ("the settings", SETTINGS)})
def notification_settings():
    return jsonify(_settings(contact_settings(get_runtime().store, current_actor().username)))


@bp.put("/account/notifications")
@api_permission(None)
@document("Change the e-mail address, the SMS number and the groups wanted by e-mail", tags=TAGS,
          errors=(400, 404, 422), request=SETTINGS_BODY, responses={200: ("the settings saved", SETTINGS)})
def change_notification_settings():
    runtime, username = get_runtime(), current_actor().username
    current = contact_settings(runtime.store, username)
    body = json_body()
    contact = Contact(_text(body, "email", current.email), _text(body, "mobile", current.mobile),
                      _groups(body, current.email_groups))
    return jsonify(_settings(update_contact(runtime.store, username, contact, runtime.clock.now())))


def _listing(listing: NotificationList) -> dict[str, Any]:
    return {"items": [{"id": i.id, "kind": i.kind, "message": i.message, "case_id": i.case_id,
                       "created_at": iso_local(i.created_at), "read": i.read} for i in listing.items],
            "next_cursor": str(listing.next_before) if listing.next_before else None, "unread": listing.unread}


def _mark(notification_id: int | None) -> dict[str, int]:
    runtime, username = get_runtime(), current_actor().username
    marked = mark_notifications_read(runtime.store, username, notification_id, runtime.clock.now())
    return {"read": marked, "unread": notification_list(runtime.store, username, limit=1).unread}


def _settings(contact: Contact) -> dict[str, Any]:
    offered = groups_for(current_actor().roles)
    return {"email": contact.email, "mobile": contact.mobile,
            "email_groups": [g for g in offered if g in contact.email_groups],
            "groups": {g: GROUPS[g] for g in offered}}


def _text(body: dict[str, Any], key: str, default: str) -> str:
    value = body.get(key, default)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_("The request is malformed."), {key: _("Must be text")})
    return value


def _groups(body: dict[str, Any], default: frozenset[str]) -> frozenset[str]:
    value = body.get("email_groups")
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise InvalidInput(_("The request is malformed."), {"email_groups": _("Must be a list of group keys")})
    return frozenset(value)
