"""The OpenAPI 3.1 document, assembled from the routes that describe themselves.

A view opts in with `@document(...)`; its path, method, path parameters and required
roles (from `api_permission`) come from Flask itself, so the document cannot drift from the
routes. Later modules only decorate their views to appear in `/api/v1/openapi.json`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask
from werkzeug.routing import Rule

from workflows.core.limits import MAX_ID

F = TypeVar("F", bound=Callable[..., Any])
Schema = dict[str, Any]
ERROR_REF = {"$ref": "#/components/schemas/Error"}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Makes a retry safe (draft-ietf-httpapi-idempotency-key-header): the same key with the "
                   "same request answers the first answer again (header `Idempotent-Replayed: true`), "
                   "nothing done twice; with another request 422; while the first still runs 409. "
                   "Keys are the caller's own and kept 24 hours; only requests that changed something "
                   "keep their answer.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7e]+$"}}
IDEMPOTENCY_ERRORS = (400, 409, 422)  # a malformed key; still running; used for another request
REPLAYED_HEADER = {"Idempotent-Replayed": {"schema": {"type": "string", "enum": ["true"]},
                                           "description": "present when this is the stored answer of an earlier "
                                                          "request with the same Idempotency-Key"}}
RETRY_AFTER = {"schema": {"type": "integer", "minimum": 1}, "description": "seconds to wait before retrying"}
_PATH_ARG = re.compile(r"<(?:(?P<conv>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Binary:
    """A response body that is not JSON: bytes of one of `media_types`, with `headers`."""

    media_types: tuple[str, ...]
    headers: tuple[str, ...] = ()

    def content(self) -> Schema:
        return {media: {"schema": {"type": "string", "format": "binary"}} for media in self.media_types}


PDF = Binary(("application/pdf",), ("Content-Disposition",))
ARCHIVED_PDF = Binary(("application/pdf",), ("Content-Disposition", "ETag"))


@dataclass(frozen=True)
class Operation:
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Schema, ...] = ()
    request: Schema | None = None
    request_media: str = "application/json"
    responses: dict[int, tuple[str, Schema | Binary | None]] = field(default_factory=dict)
    errors: tuple[int, ...] = ()


def document(summary: str, **details: Any) -> Callable[[F], F]:
    """Describe an API view: `parameters`, `request` (schema of the body, JSON unless
    `request_media` says otherwise), `responses`
    ({status: (description, JSON schema, a `Binary` body, or None for no body)}), `errors`
    (extra error statuses), `tags`."""
    details["parameters"] = tuple(details.get("parameters", ()))
    details["tags"] = tuple(details.get("tags", ()))
    details["errors"] = tuple(details.get("errors", ()))
    operation = Operation(summary, **details)

    def decorator(view: F) -> F:
        view.openapi = operation  # type: ignore[attr-defined]
        return view
    return decorator


def query_param(name: str, description: str, schema: Schema | None = None,
                required: bool = False) -> Schema:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def build_document(app: Flask, title: str, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        operation: Operation | None = getattr(view, "openapi", None)
        if operation is None:
            continue
        roles = getattr(view, "api_roles", None)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            entry = _operation(operation, rule, method, roles)
            paths.setdefault(_PATH_ARG.sub(r"{\g<name>}", rule.rule), {})[method.lower()] = entry
    return {"openapi": "3.1.0", "info": {"title": title, "version": version},
            "paths": paths, "components": _components()}


def _operation(op: Operation, rule: Rule, method: str, roles: tuple[str, ...] | None) -> Schema:
    keyed = method == "POST"  # every POST takes an Idempotency-Key
    entry: Schema = {"operationId": f"{rule.endpoint}.{method.lower()}", "summary": op.summary,
                     "tags": list(op.tags),
                     "parameters": _path_params(rule) + list(op.parameters) + ([IDEMPOTENCY_KEY] if keyed else []),
                     "responses": _responses(op, roles, keyed, bool(_PATH_ARG.search(rule.rule)))}
    if op.description:
        entry["description"] = op.description
    if op.request is not None:
        entry["requestBody"] = {"required": True,
                                "content": {op.request_media: {"schema": op.request}}}
    if roles is not None:
        entry["security"] = [{"bearerAuth": []}]
        entry["x-roles"] = list(roles)
    return entry


def _path_params(rule: Rule) -> list[Schema]:
    params = []
    for match in _PATH_ARG.finditer(rule.rule):
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID} if match["conv"] == "int" else {"type": "string"}
        params.append({"name": match["name"], "in": "path", "required": True, "schema": schema})
    return params


def _responses(op: Operation, roles: tuple[str, ...] | None, keyed: bool = False,
               has_path_params: bool = False) -> Schema:
    responses: Schema = {str(status): _success(description, schema, keyed)
                         for status, (description, schema) in sorted(op.responses.items())}
    if not any(200 <= status < 300 for status in op.responses):
        responses["200"] = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    errors = set(op.errors) | (set(IDEMPOTENCY_ERRORS) if keyed else set())
    if op.parameters or op.request is not None or has_path_params:  # the boundary checks every value
        errors.add(400)
    if has_path_params:
        errors.add(404)
    if op.request is not None:
        errors.add(413)  # JSON bodies are bounded (docs/limits.md)
    if roles is not None:
        errors.add(401)
        errors.update({403} if roles else set())
    for status in sorted(errors):
        responses.setdefault(str(status), _error(status, keyed))
    responses.setdefault("503", UNAVAILABLE)  # any route: the database connection died under it
    return responses


def _success(description: str, schema: Schema | Binary | None, keyed: bool) -> Schema:
    response: Schema = {"description": description}
    if isinstance(schema, Binary):
        response["content"] = schema.content()
        response["headers"] = {name: {"required": True, "schema": {"type": "string"}} for name in schema.headers}
    elif schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    if keyed:
        response["headers"] = {**response.get("headers", {}), **REPLAYED_HEADER}
    return response


def _error(status: int, keyed: bool) -> Schema:
    """The API.md error body; 401 names the scheme, 429 and a key still in use say when to retry."""
    response: Schema = {"description": ERROR_DESCRIPTIONS.get(status, "Error"),
                        "content": {"application/json": {"schema": ERROR_REF}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
    elif status == 429:
        response["headers"] = {"Retry-After": {**RETRY_AFTER, "required": True}}
    elif status == 409 and keyed:
        response["headers"] = {"Retry-After": {**RETRY_AFTER, "description": "with `idempotency_in_progress`"}}
    if keyed and 400 <= status < 500 and status not in (401, 403):
        response["headers"] = {**response.get("headers", {}), **REPLAYED_HEADER}
    return response


ERROR_DESCRIPTIONS = {
    400: "Invalid input (`fields` names each wrong field), or a malformed Idempotency-Key",
    401: "No valid credentials", 403: "Not allowed for the caller's roles or scope",
    404: "No such resource, or not visible to the caller", 409: "Conflicts with the current state (reload and "
    "retry); or a request with the same Idempotency-Key is still running",
    413: "The request body is too large (docs/limits.md)",
    422: "A business rule refuses it; or the Idempotency-Key was used for another request",
    429: "Too many failed sign-ins: locked until Retry-After"}


UNAVAILABLE: Schema = {
    "description": "The database connection was interrupted (a write may be retried after Retry-After seconds)",
    "headers": {"Retry-After": RETRY_AFTER},
    "content": {"application/json": {"schema": ERROR_REF}}}


def _components() -> Schema:
    error = {"type": "object", "required": ["error", "message", "fields"], "properties": {
        "error": {"type": "string", "description": "stable error code"},
        "message": {"type": "string", "description": "explanation in Chinese"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}
    return {"schemas": {"Error": error},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}
