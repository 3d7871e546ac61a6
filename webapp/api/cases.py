"""Opening and withdrawing cases through the API (API.md `POST /api/v1/cases`, `/withdraw`)."""
from __future__ import annotations

from flask_babel import gettext as _

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.kinds import KINDS
from workflows.kinds.commitment.tasks import fulfilment_data
from workflows.kinds.common import case_messages

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .case_answers import CaseAnswer
from .openapi import document
from .schemas import CASE
from .util import json_body

FILERS = {kind.key: kind.file for kind in KINDS if kind.file is not None}
TEXT, IDS = {"type": "string", "maxLength": limits.TEXT}, {
    "type": "array", "maxItems": limits.MAX_RECORD_IDS, "items": {"type": "integer", "minimum": 1, "maximum": limits.MAX_ID}}
FORM = {"type": "object", "description": "the kind's filing fields (API.md task data vocabulary; docs/limits.md)",
        "properties": {
            "record_ids": IDS, "reason": TEXT, "rectification": TEXT, "claim": TEXT, "evidence": TEXT, "content": TEXT,
            "liability": TEXT, "deficiency_materials": TEXT, "matter": {"type": "string", "maxLength": limits.NOTE},
            "commitment_accepted": {"type": "boolean"},
            "training_certificate_no": {"type": "string", "maxLength": limits.NAME},
            "place": {"type": "string", "maxLength": limits.LINE},
            "scheduled_at": {"type": "string", "format": "date-time", "description": "years 2000–2100"},
            "valid_until": {"type": "string", "format": "date"}, "verify_on": {"type": "string", "format": "date"},
            "department_code": {"type": "string", "maxLength": limits.CODE},
            "officers": {"type": "array", "maxItems": limits.ITEMS, "items": {"type": "string", "maxLength": limits.NAME}},
            "materials": {"type": "array", "maxItems": limits.ITEMS, "items": {"type": "string", "maxLength": limits.LINE}},
            "warning_id": {"type": "integer", "minimum": 1, "maximum": limits.MAX_ID}}}
CASE_REQUEST = {"type": "object", "required": ["kind", "subject_code", "form"], "properties": {
    "kind": {"type": "string", "enum": list(FILERS)},
    "subject_code": {"type": "string", "maxLength": limits.CODE}, "record_ids": IDS, "form": FORM}}
RESCHEDULE = {"type": "object", "required": ["scheduled_at"], "properties": {
    "scheduled_at": {"type": "string", "format": "date-time", "description": "years 2000–2100"},
    "place": {"type": "string", "maxLength": limits.LINE}, "reason": {"type": "string", "maxLength": limits.TITLE}}}


@bp.post("/cases")
@api_permission("may_open_cases")
@document("Open a case (repair: record_ids, reason, rectification, commitment_accepted; "
          "objection: record_ids, target, claim, evidence)",
          tags=("cases",), request=CASE_REQUEST, errors=(400, 403, 404, 422), responses={201: ("the case", CASE)})
def open_case():
    body, runtime, actor = json_body(), get_runtime(), current_actor()
    kind = body.get("kind")
    filer = FILERS.get(kind) if isinstance(kind, str) else None  # an object or a list cannot be looked up
    if filer is None:
        raise InvalidInput(_("This kind of case cannot be opened here."), {"kind": _("Supported: %(kinds)s", kinds=", ".join(FILERS))})
    form = dict(body.get("form") or {}) if isinstance(body.get("form", {}), dict) else body.get("form")
    if isinstance(form, dict) and "record_ids" not in form and "record_ids" in body:
        form["record_ids"] = body["record_ids"]
    answer = CaseAnswer(actor, 201)  # from the filing's own transaction and the rows it wrote
    filer(runtime.engine, actor, body.get("subject_code"), form, describe=answer.describe)
    return answer.response()


@bp.post("/cases/<int:case_id>/withdraw")
@api_permission("may_withdraw_case")
@document("Withdraw an open case (the applicant)", tags=("cases",), errors=(403, 404, 409),
          responses={200: ("the case", CASE)})
def withdraw_case(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    answer = CaseAnswer(actor)
    case_messages.withdraw_case(runtime.engine, actor, case_id, answer.describe)
    return answer.response()


@bp.post("/cases/<int:case_id>/breach")
@api_permission("may_report_breach")
@document("Report a breach found before the verification date (the accepting department); body as the "
          "commitment verify task: fulfilment, unfulfilled, liability_action", tags=("cases",),
          errors=(400, 403, 404, 409), responses={200: ("the case", CASE)})
def report_breach(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    answer = CaseAnswer(actor)
    case_messages.report_breach(runtime.engine, actor, case_id, fulfilment_data(json_body()), answer.describe)
    return answer.response()


@bp.post("/cases/<int:case_id>/reschedule")
@api_permission("may_request_reschedule")
@document("Reschedule an interview once on request: {scheduled_at, place?, reason}", tags=("cases",),
          request=RESCHEDULE, errors=(400, 403, 404, 409, 422), responses={200: ("the case", CASE)})
def reschedule_interview(case_id: int):
    runtime, actor = get_runtime(), current_actor()
    answer = CaseAnswer(actor)
    case_messages.request_reschedule(runtime.engine, actor, case_id, json_body(), answer.describe)
    return answer.response()
