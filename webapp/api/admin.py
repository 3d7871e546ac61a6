"""The credit office's administration of departments and users (twins of /admin/…)."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _

from workflows.administration.departments import (
    MASTHEAD_MAX,
    NAME_MAX,
    PHONE_MAX,
    PREFIX_MAX,
    TEXT_MAX,
    IssuerDetails,
    create_department,
    issuer_of,
    list_departments,
    rename_department,
    set_department_active,
    set_issuer_details,
    set_seal,
)
from workflows.administration.users import (
    DISPLAY_NAME_MAX,
    Profile,
    add_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
)
from workflows.core.errors import InvalidInput
from workflows.core.identifiers import mask_subject_code
from workflows.core.models.people import Department, User

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .util import iso_local, json_body

TAGS = ["admin"]
DEPARTMENT = {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "active": {"type": "boolean"},
    "issuer_name": {"type": "string"}, "masthead_name": {"type": "string"},
    "address": {"type": "string"}, "phone": {"type": "string"},
    "number_prefixes": {"type": "object", "additionalProperties": {"type": "string"}},
    "has_seal": {"type": "boolean"}}}
NEW_DEPARTMENT = {"type": "object", "required": ["code", "name"], "properties": {
    "code": {"type": "string", "maxLength": 64, "description": "a 11… USCC or the local scheme, e.g. QZ-SCJG"},
    "name": {"type": "string", "maxLength": NAME_MAX}}}
RENAME = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "maxLength": NAME_MAX}}}
ISSUER = {"type": "object", "properties": {
    "issuer_name": {"type": "string", "maxLength": NAME_MAX}, "address": {"type": "string", "maxLength": TEXT_MAX},
    "masthead_name": {"type": "string", "maxLength": MASTHEAD_MAX,
                      "description": "发文机关标志: the organ's 规范化简称 its letters' masthead prints; \"\" (or left out)"
                                     " prints issuer_name there. The signature always carries issuer_name."},
    "phone": {"type": "string", "maxLength": PHONE_MAX},
    "number_prefixes": {"type": "object", "maxProperties": 50,
                        "additionalProperties": {"type": "string", "maxLength": PREFIX_MAX}}}}
USER = {"type": "object", "properties": {
    "username": {"type": "string"}, "display_name": {"type": "string"},
    "roles": {"type": "array", "items": {"type": "string"}}, "subject_code": {"type": ["string", "null"]},
    "department_code": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]},
    "active": {"type": "boolean"}, "must_change_password": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"}}}
PROFILE = {"type": "object", "required": ["roles"], "properties": {
    "roles": USER["properties"]["roles"], "display_name": {"type": "string", "maxLength": DISPLAY_NAME_MAX},
    "subject_code": {"type": ["string", "null"]}, "department_code": {"type": ["string", "null"]},
    "email": {"type": ["string", "null"], "maxLength": 254,
              "description": "checked as an address; \"\" clears it, leaving it out keeps it"}}}
NEW_USER = {"type": "object", "required": ["username", "password", "roles"], "properties": {
    "username": {"type": "string", "maxLength": 64},
    "password": {"type": "string", "format": "password", "minLength": 10, "maxLength": 256},
    **PROFILE["properties"]}}
PASSWORD = {"type": "object", "required": ["password"], "properties": {
    "password": {"type": "string", "format": "password", "minLength": 10, "maxLength": 256}}}


def _list_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"items": {"type": "array", "items": schema},
                                             "next_cursor": {"type": ["string", "null"]}}}


# -- departments --------------------------------------------------------------------------------

@bp.get("/admin/departments")
@document("List departments", tags=TAGS, responses={200: ("Every department, by code", _list_of(DEPARTMENT))})
@api_permission("may_manage_departments")
def departments() -> Response:
    return jsonify(items=[department_json(d) for d in list_departments(get_runtime().store)], next_cursor=None)


@bp.post("/admin/departments")
@document("Register a department", tags=TAGS, request=NEW_DEPARTMENT,
          responses={201: ("The department", DEPARTMENT)}, errors=(400, 409))
@api_permission("may_manage_departments")
def add_department() -> tuple[Response, int]:
    body = json_body()
    runtime = get_runtime()
    department = create_department(runtime.store, current_actor(), _text(body, "code"), _text(body, "name"),
                                   runtime.clock.now(), runtime.settings.department_code_pattern)
    return jsonify(department_json(department)), 201


@bp.patch("/admin/departments/<code>")
@document("Rename a department", tags=TAGS, request=RENAME,
          responses={200: ("The department", DEPARTMENT)}, errors=(400, 404))
@api_permission("may_manage_departments")
def rename(code: str) -> Response:
    name = _text(json_body(), "name")
    runtime = get_runtime()
    return jsonify(department_json(rename_department(runtime.store, current_actor(), code, name, runtime.clock.now())))


@bp.post("/admin/departments/<code>/deactivate")
@document("Deactivate a department (no new users in it; its history stays)", tags=TAGS,
          responses={200: ("The department", DEPARTMENT)}, errors=(404,))
@api_permission("may_manage_departments")
def deactivate_department(code: str) -> Response:
    return _set_department_active(code, False)


@bp.post("/admin/departments/<code>/activate")
@document("Reactivate a department", tags=TAGS, responses={200: ("The department", DEPARTMENT)}, errors=(404,))
@api_permission("may_manage_departments")
def activate_department(code: str) -> Response:
    return _set_department_active(code, True)


@bp.put("/admin/departments/<code>/issuer")
@document("Set the issuer details its letters print", tags=TAGS, request=ISSUER,
          responses={200: ("The department", DEPARTMENT)}, errors=(400, 404))
@api_permission("may_manage_departments")
def issuer(code: str) -> Response:
    details = issuer_details(json_body())
    runtime = get_runtime()
    department = set_issuer_details(runtime.store, current_actor(), code, details, runtime.clock.now())
    return jsonify(department_json(department))


@bp.put("/admin/departments/<code>/seal")
@document("Upload the seal image (raw image/png body, at most 512 KB)", tags=TAGS, request_media="image/png",
          request={"type": "string", "format": "binary"},
          responses={200: ("The department", DEPARTMENT)}, errors=(400, 404, 413))
@api_permission("may_manage_departments")
def seal(code: str) -> Response:
    runtime = get_runtime()
    department = set_seal(runtime.store, current_actor(), code, request.get_data(), runtime.clock.now())
    return jsonify(department_json(department))


def _set_department_active(code: str, active: bool) -> Response:
    runtime = get_runtime()
    department = set_department_active(runtime.store, current_actor(), code, active, runtime.clock.now())
    return jsonify(department_json(department))


# -- users --------------------------------------------------------------------------------------

@bp.get("/admin/users")
@document("List user accounts", tags=TAGS, responses={200: ("Every user, by username", _list_of(USER))})
@api_permission("may_manage_users")
def users() -> Response:
    return jsonify(items=[user_json(u) for u in list_users(get_runtime().store)], next_cursor=None)


@bp.post("/admin/users")
@document("Create a user account", tags=TAGS, request=NEW_USER,
          responses={201: ("The user", USER)}, errors=(400, 409))
@api_permission("may_manage_users")
def add() -> tuple[Response, int]:
    body = json_body()
    runtime = get_runtime()
    user = add_user(runtime.store, current_actor(), _text(body, "username"), _text(body, "password"),
                    profile_of(body), runtime.clock.now())
    return jsonify(user_json(user)), 201


@bp.patch("/admin/users/<username>")
@document("Change a user's roles, display name and binding", tags=TAGS, request=PROFILE,
          responses={200: ("The user", USER)}, errors=(400, 404))
@api_permission("may_manage_users")
def update(username: str) -> Response:
    profile = profile_of(json_body())
    runtime = get_runtime()
    return jsonify(user_json(update_user(runtime.store, current_actor(), username, profile, runtime.clock.now())))


@bp.post("/admin/users/<username>/disable")
@document("Disable an account (its sessions and tokens stop working)", tags=TAGS,
          responses={200: ("The user", USER)}, errors=(404, 409))
@api_permission("may_manage_users")
def disable(username: str) -> Response:
    return _set_user_active(username, False)


@bp.post("/admin/users/<username>/enable")
@document("Enable an account", tags=TAGS, responses={200: ("The user", USER)}, errors=(404,))
@api_permission("may_manage_users")
def enable(username: str) -> Response:
    return _set_user_active(username, True)


@bp.post("/admin/users/<username>/password")
@document("Reset a password; the user must change it at the next sign-in", tags=TAGS, request=PASSWORD,
          responses={200: ("The user", USER)}, errors=(400, 404))
@api_permission("may_manage_users")
def reset(username: str) -> Response:
    password = _text(json_body(), "password")
    runtime = get_runtime()
    return jsonify(user_json(reset_password(runtime.store, current_actor(), username, password, runtime.clock.now())))


def _set_user_active(username: str, active: bool) -> Response:
    runtime = get_runtime()
    return jsonify(user_json(set_user_active(runtime.store, current_actor(), username, active, runtime.clock.now())))


# -- parsing and rendering ----------------------------------------------------------------------

def _text(body: dict[str, Any], key: str, default: str | None = None) -> str:
    value = body.get(key, default)
    if not isinstance(value, str):
        raise InvalidInput(_("Field %(field)s must be text.", field=key), {key: _("Must be text")})
    return value


def _optional(body: dict[str, Any], key: str) -> str | None:
    return _text(body, key) if body.get(key) is not None else None


def profile_of(body: dict[str, Any]) -> Profile:
    roles = body.get("roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidInput(_("Field %(field)s must be a list of role keys.", field="roles"),
                           {"roles": _("Must be a list of role keys")})
    return Profile(tuple(roles), _text(body, "display_name", ""), _optional(body, "subject_code"),
                   _optional(body, "department_code"), _optional(body, "email"))


def issuer_details(body: dict[str, Any]) -> IssuerDetails:
    prefixes = body.get("number_prefixes", {})
    if not isinstance(prefixes, dict):
        raise InvalidInput(_("Field %(field)s must be an object.", field="number_prefixes"),
                           {"number_prefixes": _("Must be an object")})
    return IssuerDetails(_text(body, "issuer_name", ""), _text(body, "address", ""), _text(body, "phone", ""),
                         prefixes, masthead_name=_text(body, "masthead_name", ""))


def department_json(department: Department) -> dict[str, Any]:
    return {"code": department.code, "name": department.name, "active": department.active,
            **issuer_of(department), "has_seal": department.seal_png is not None}


def user_json(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "roles": sorted(user.role_set),
            "subject_code": mask_subject_code(user.subject_code) if user.subject_code else None,
            "department_code": user.department_code, "email": user.email, "active": user.active,
            "must_change_password": user.must_change_password, "created_at": iso_local(user.created_at)}
