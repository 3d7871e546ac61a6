"""JSON Schemas of the API's answers that several routes share (cases, tasks, letters, records).

They describe what the documents in `workflows` build (workflows/engine/case_view.py,
workflows/records/documents.py, workflows/engine/outbox.py), nullable exactly where the
column is; the schemathesis run of the test suite (docs/fuzzing.md) checks every answer
against them, so a key that changes type or goes missing fails there.
"""
from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
TEXT: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
MOMENT: Schema = {"type": "string", "format": "date-time", "description": "ISO 8601 with +08:00"}
DAY: Schema = {"type": "string", "format": "date"}
JSON_OBJECT: Schema = {"type": ["object", "null"]}
CURSOR: Schema = {"type": ["string", "null"], "description": "pass as `cursor` for the next page; null on the last"}


def nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None, **extra: Any) -> Schema:
    """An object whose `required` keys are always there (with these types); `optional` may be."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}, **extra}


def page(item: Schema, **more: Schema) -> Schema:
    """`{"items": [...], "next_cursor": ...}` (and `more`)."""
    return obj({"items": {"type": "array", "items": item}, "next_cursor": CURSOR, **more})


LETTER_STATUS = {"type": "string", "enum": ["pending", "issued"],
                 "description": "pending: numbered, its PDF not rendered yet (sha256 and size null, the PDF route answers 202)"}
LETTER = obj({
    "id": INT, "type": TEXT, "title": TEXT, "number": TEXT, "status": LETTER_STATUS, "state": LETTER_STATUS,
    "sha256": nullable(TEXT), "size": nullable(INT), "case_id": nullable(INT),
    "issued_at": MOMENT, "issued_by": TEXT, "supersedes_id": nullable(INT),
    "url": {"type": "string", "description": "the archived PDF, /api/v1/letters/{id}.pdf"},
    "signed_by": {"type": ["string", "null"],
                  "description": "subject of the issuing organ's certificate that signed the PDF (PAdES); null: unsigned or pending"},
    "signed_at": {**nullable(MOMENT), "description": "signing time stated by the signature; null: unsigned or pending"}},
    {"issued_by_name": TEXT})
PENDING_LETTER = obj({"id": INT, "number": TEXT, "status": LETTER_STATUS, "state": LETTER_STATUS, "message": TEXT})
TASK = obj({
    "id": TEXT, "case_id": INT, "bpmn_id": TEXT, "name": TEXT, "lane": nullable(TEXT), "assignee": nullable(TEXT),
    "due_at": nullable(MOMENT), "overdue": BOOL, "state": {"type": "string", "enum": ["ready", "completed", "cancelled"]},
    "completed_at": nullable(MOMENT), "completed_by": nullable(TEXT)},
    {"assignee_name": nullable(TEXT), "completed_by_name": nullable(TEXT)})
INBOX_TASK = {**TASK, "required": [*TASK["required"], "case"], "properties": {
    **TASK["properties"], "case": obj({"kind": TEXT, "title": TEXT})}}
EVENT = obj({
    "id": INT, "at": MOMENT, "actor": TEXT, "kind": TEXT, "summary": TEXT, "bpmn_id": nullable(TEXT),
    "task_id": nullable(TEXT), "before": JSON_OBJECT, "after": JSON_OBJECT}, {"actor_name": TEXT})
CASE_SUBJECT = nullable(obj({"code": {"type": "string", "description": "resident ID numbers masked for non-staff"},
                             "name": nullable(TEXT), "category": nullable(TEXT)}))
CASE = obj({
    "id": INT, "kind": TEXT, "status": TEXT, "outcome": nullable(TEXT), "title": TEXT, "subject": CASE_SUBJECT,
    "department_code": nullable(TEXT), "received_at": MOMENT, "closed_at": nullable(MOMENT),
    "version": {"type": "integer", "description": "send it back with a task completion"},
    "records": {"type": "array"}, "tasks": {"type": "array", "items": TASK},
    "letters": {"type": "array", "items": LETTER}, "events": {"type": "array", "items": EVENT}})

MEASURE = obj({
    "id": INT, "record_id": INT, "name": TEXT, "basis": TEXT, "implementing_department": TEXT,
    "state": {"type": "string", "enum": ["active", "suspended", "terminated"]}, "reason": TEXT,
    "case_id": nullable(INT), "changed_at": MOMENT})
RECORD_HISTORY = obj({"id": INT, "at": MOMENT, "actor": TEXT, "action": TEXT, "case_id": nullable(INT),
                      "before": JSON_OBJECT, "after": JSON_OBJECT})
PUBLICITY_STATUSES = ["public", "suspended", "stopped", "revoked", "expired", "not_published"]
RECORD = obj({
    "id": INT, "subject_code": {"type": "string", "description": "resident ID numbers masked in lists and for non-staff"},
    "subject_name": TEXT, "kind": TEXT, "severity": TEXT, "category": TEXT, "sector": TEXT, "non_repairable": BOOL,
    "misconduct_category": TEXT, "non_repairable_by_category": BOOL, "non_repairable_reason": TEXT,
    "decision_no": TEXT, "decision_date": DAY, "department_code": TEXT, "department_name": TEXT, "facts": TEXT,
    "basis": TEXT, "content": TEXT, "fine_amount": {"type": ["string", "null"], "description": "yuan, e.g. \"20000.00\""},
    "regime": TEXT, "publicity_status": {"type": "string", "enum": PUBLICITY_STATUSES},
    "publicity_start": nullable(DAY), "publicity_min_end": nullable(DAY), "publicity_max_end": nullable(DAY),
    "earliest_repair_date": nullable(DAY), "source": TEXT, "created_by": TEXT, "created_at": MOMENT,
    "updated_at": MOMENT, "measures": {"type": "array", "items": MEASURE}},
    {"history": {"type": "array", "items": RECORD_HISTORY, "description": "one record's answer only, not lists"}})
SUBJECT = obj({"code": TEXT, "name": TEXT, "category": TEXT, "records": {"type": "array", "items": RECORD}})
OUTBOX_EVENT = obj({"seq": INT, "kind": TEXT, "case_id": nullable(INT), "payload": {"type": "object"},
                    "created_at": MOMENT})
OUTBOX_PAGE = page(OUTBOX_EVENT, last_seq={"type": "integer", "description": "pass as `after` to poll on"})
