"""Out-of-office delegation over the API (issue 17): the twin of `/desk/delegation`.

A worker names a substitute for a period, lists the delegations not yet over (own and those
naming the caller as substitute) and ends one early; the rules live in workflows/people/delegation.py.
"""
from __future__ import annotations

from flask import Response, jsonify

from workflows.core.models.worklists import Delegation
from workflows.people.delegation import DelegationRequest, delegate, delegations_of, end_delegation

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .schemas import DAY, INT, MOMENT, TEXT, nullable, obj
from .util import iso_local, json_body

TAGS = ("tasks",)
DELEGATION = obj({"id": INT, "username": TEXT, "substitute": TEXT, "starts_on": DAY, "ends_on": DAY, "note": TEXT,
                  "created_at": MOMENT, "ended_at": nullable(MOMENT), "ended_by": nullable(TEXT)})
DELEGATION_REQUEST = {"type": "object", "required": ["substitute", "starts_on", "ends_on"], "properties": {
    "substitute": {"type": "string", "maxLength": 64, "description": "username of an active colleague"},
    "starts_on": {**DAY, "description": "today at the earliest (Asia/Shanghai)"},
    "ends_on": {**DAY, "description": "at most a year after starts_on"},
    "note": {"type": "string", "maxLength": 200}}}


@bp.get("/delegations")
@api_permission("may_work_tasks")
@document("The caller's delegations not yet over, and those naming the caller as substitute", tags=TAGS,
          responses={200: ("`{\"items\": [...]}`", obj({"items": {"type": "array", "items": DELEGATION}}))})
def list_delegations() -> Response:
    runtime = get_runtime()
    rows = delegations_of(runtime.store, current_actor(), runtime.clock.now())
    return jsonify({"items": [delegation_json(row) for row in rows]})


@bp.post("/delegations")
@api_permission("may_work_tasks")
@document("Name a substitute for a period; a supervisor's hand-offs then go to the substitute", tags=TAGS,
          request=DELEGATION_REQUEST, errors=(400, 422), responses={201: ("the delegation", DELEGATION)})
def create_delegation() -> tuple[Response, int]:
    body, runtime = json_body(), get_runtime()
    wanted = DelegationRequest(body.get("substitute"), body.get("starts_on"), body.get("ends_on"), body.get("note", ""))
    return jsonify(delegation_json(delegate(runtime.store, current_actor(), wanted, runtime.clock.now()))), 201


@bp.post("/delegations/<int:delegation_id>/end")
@api_permission("may_work_tasks")
@document("End a delegation early (its owner or a supervisor); ending an ended one changes nothing",
          tags=TAGS, errors=(404,), responses={200: ("the delegation", DELEGATION)})
def end_delegation_now(delegation_id: int) -> Response:
    runtime = get_runtime()
    return jsonify(delegation_json(end_delegation(runtime.store, current_actor(), delegation_id, runtime.clock.now())))


def delegation_json(row: Delegation) -> dict[str, object]:
    return {"id": row.id, "username": row.username, "substitute": row.substitute,
            "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat(), "note": row.note or "",
            "created_at": iso_local(row.created_at), "ended_at": iso_local(row.ended_at) if row.ended_at else None,
            "ended_by": row.ended_by}
