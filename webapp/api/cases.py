"""Opening and withdrawing cases through the API (API.md `POST /api/v1/cases`, `/withdraw`)."""
from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflows.engine.case_view import CaseRows, case_document, may_read_case, readable_case
from workflows.kinds.commitment.filing import file_commitment, fulfilment_form
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.kinds.interview.filing import file_interview
from workflows.engine.models import Case
from workflows.kinds.objection.filing import file_objection
from workflows.kinds.repair.filing import file_repair

from ..auth.identity import api_auth, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document
from .util import json_body

FILERS = {"repair": file_repair, "objection": file_objection, "commitment": file_commitment,
          "interview": file_interview}
CASE_REQUEST = {"type": "object", "required": ["kind", "subject_code", "form"], "properties": {
    "kind": {"type": "string", "enum": ["repair", "objection", "commitment", "interview"]},
    "subject_code": {"type": "string"}, "record_ids": {"type": "array", "items": {"type": "integer"}},
    "form": {"type": "object"}}}


@bp.post("/cases")
@api_auth("applicant", "reviewer", "supervisor", "department", "admin")
@document("Open a case (repair: record_ids, reason, rectification, commitment_accepted; "
          "objection: record_ids, target, claim, evidence)",
          tags=("cases",), request=CASE_REQUEST, errors=(400, 403, 404, 422), responses={201: ("the case", None)})
def open_case():
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    filer = FILERS.get(body.get("kind"))
    if filer is None:
        raise InvalidInput(_("This kind of case cannot be opened here."), {"kind": _("Supported: repair, objection, commitment, interview")})
    form = dict(body.get("form") or {}) if isinstance(body.get("form", {}), dict) else body.get("form")
    if isinstance(form, dict) and "record_ids" not in form and "record_ids" in body:
        form["record_ids"] = body["record_ids"]
    answer: dict[str, Any] = {}

    def describe(session: Session, case: Case, rows: CaseRows) -> None:
        """The answer comes from the filing's own transaction and the rows it wrote."""
        if may_read_case(actor, case):
            answer.update(case_document(session, actor, case, rows))

    filer(runtime.engine, actor, body.get("subject_code"), form, describe=describe)
    if not answer:  # filed for a subject the caller may not follow (as readable_case answers)
        raise NotFound("案件不存在")
    return jsonify(answer), 201


@bp.post("/cases/<int:case_id>/withdraw")
@api_auth("applicant", "admin")
@document("Withdraw an open case (the applicant)", tags=("cases",), errors=(403, 404, 409))
def withdraw_case(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    with runtime.store.read() as session:
        case = readable_case(session, actor, case_id)
        if actor.subject_code != case.subject_code and not actor.has("admin"):
            raise Forbidden(_("Only the applicant may withdraw the case."))
        if case.status != "running":
            raise Conflict(_("The case is already closed."))
    runtime.engine.send_message(case_id, "withdraw", {"by": actor.username}, actor)
    with runtime.store.read() as session:
        return jsonify(case_document(session, actor, readable_case(session, actor, case_id)))


@bp.post("/cases/<int:case_id>/breach")
@api_auth("department", "admin")
@document("Report a breach found before the verification date (the accepting department); body as the "
          "commitment verify task: fulfilment, unfulfilled, liability_action", tags=("cases",),
          errors=(400, 403, 404, 409))
def report_breach(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    data = fulfilment_form(json_body())
    if data["fulfilment"] == "full":
        raise InvalidInput(_("A breach cannot be fully performed."), {"fulfilment": _("partial, none or false")})
    with runtime.store.read() as session:
        case = readable_case(session, actor, case_id)
        if case.kind != "commitment" or (actor.department_code != case.department_code and not actor.has("admin")):
            raise Forbidden(_("Only the accepting department may report a breach of this commitment."))
    runtime.engine.send_message(case_id, "breach_reported", data, actor)
    with runtime.store.read() as session:
        return jsonify(case_document(session, actor, readable_case(session, actor, case_id)))


@bp.post("/cases/<int:case_id>/reschedule")
@api_auth("applicant", "department", "admin")
@document("Reschedule an interview once on request: {scheduled_at, place?, reason}", tags=("cases",),
          errors=(400, 403, 404, 409, 422))
def reschedule_interview(case_id: int):
    runtime, actor, body = get_runtime(), current_actor(), json_body()
    with runtime.store.read() as session:
        case = readable_case(session, actor, case_id)
        if case.kind != "interview":
            raise InvalidInput(_("Only interviews can be rescheduled."), {"case": _("Not an interview")})
    runtime.engine.send_message(case_id, "reschedule_requested", {
        "scheduled_at": body.get("scheduled_at"), "place": body.get("place"), "reason": body.get("reason", ""),
        "requested_by": actor.username}, actor)
    with runtime.store.read() as session:
        return jsonify(case_document(session, actor, readable_case(session, actor, case_id)))
