"""Task and case routes of the API (API.md): list, claim, unclaim, assign, complete, read a case."""
from __future__ import annotations

import base64
import json
from datetime import datetime

from flask import jsonify, request
from flask_babel import gettext as _

from workflows.core.errors import InvalidInput
from workflows.core.limits import search_text
from workflows.engine.inbox import InboxFilter
from workflows.kinds.common.case_reading import case_answer, task_page

from ..auth import api_permission, current_actor
from ..runtime import get_runtime
from .blueprint import bp
from .case_answers import CaseAnswer
from .openapi import document, query_param
from .schemas import CASE, INBOX_TASK, page
from .util import json_body, parse_int

TASKS_TAG = ("tasks",)


@bp.get("/tasks")
@api_permission("may_take_tasks")
@document("The caller's visible open tasks, sorted by due time", tags=TASKS_TAG, parameters=(
    query_param("assignee", "`me`: only tasks claimed by the caller"),
    query_param("lane", "only this lane (role key)"),
    query_param("unclaimed", "`1`: only unclaimed tasks"),
    query_param("due", "`today`: due today (Asia/Shanghai)"),
    query_param("overdue", "`1`: only overdue tasks"),
    query_param("q", "case number (`#12`), subject name (part) or code, record decision number (part)"),
    query_param("limit", "page size (1–200, default 50)", {"type": "integer"}),
    query_param("cursor", "from the previous page's next_cursor")),
          errors=(400,), responses={200: ("a page of open tasks", page(INBOX_TASK))})
def list_tasks():
    runtime, actor = get_runtime(), current_actor()
    page = task_page(runtime.store, actor, _filter(request.args), runtime.clock.now(),
                     _limit(request.args.get("limit")), decode_cursor(request.args.get("cursor")))
    last = page.last_of_page
    return jsonify({"items": page.items, "next_cursor": encode_cursor(last) if last else None})


@bp.post("/tasks/<task_id>/claim")
@api_permission("may_take_tasks")
@document("Claim a task", tags=TASKS_TAG, errors=(403, 404, 409), responses={200: ("the case", CASE)})
def claim_task(task_id: str):
    answer = CaseAnswer(current_actor())
    get_runtime().engine.claim(task_id, current_actor(), _version(optional=True), answer.describe)
    return answer.response()


@bp.post("/tasks/<task_id>/unclaim")
@api_permission("may_take_tasks")
@document("Give a claimed task back to the group", tags=TASKS_TAG, errors=(403, 404, 409),
          responses={200: ("the case", CASE)})
def unclaim_task(task_id: str):
    answer = CaseAnswer(current_actor())
    get_runtime().engine.unclaim(task_id, current_actor(), _version(optional=True), answer.describe)
    return answer.response()


@bp.post("/tasks/<task_id>/assign")
@api_permission("may_assign_tasks")
@document("Assign a task to a user (supervisor)", tags=TASKS_TAG, errors=(400, 403, 404, 409),
          responses={200: ("the case", CASE)},
          request={"type": "object", "required": ["assignee"], "properties": {
              "assignee": {"type": "string", "maxLength": 64}, "version": {"type": "integer"}}})
def assign_task(task_id: str):
    body = json_body()
    assignee = body.get("assignee")
    if not isinstance(assignee, str) or not assignee:
        raise InvalidInput(_("Say who should do the task."), {"assignee": _("Required")})
    answer = CaseAnswer(current_actor())
    get_runtime().engine.assign(task_id, assignee, current_actor(), _version(body, optional=True), answer.describe)
    return answer.response()


@bp.post("/tasks/<task_id>/complete")
@api_permission("may_take_tasks")
@document("Complete a task with its form data", tags=TASKS_TAG, errors=(400, 403, 404, 409, 422),
          responses={200: ("the case", CASE)},
          request={"type": "object", "required": ["data"], "properties": {
              "data": {"type": "object"}, "version": {"type": "integer"}}})
def complete_task(task_id: str):
    body = json_body()
    data = body.get("data", {})
    answer = CaseAnswer(current_actor())
    get_runtime().engine.complete_task(task_id, data, current_actor(), _version(body), answer.describe)
    return answer.response()


@bp.get("/cases/<int:case_id>")
@api_permission(None)
@document("A case with its tasks, letters and audit timeline", tags=("cases",), errors=(404,),
          responses={200: ("the case", CASE)})
def get_case(case_id: int):
    return _case_response(case_id)


def _case_response(case_id: int):
    return jsonify(case_answer(get_runtime().store, current_actor(), case_id))


def _version(body: dict | None = None, optional: bool = False) -> int | None:
    body = body if body is not None else (request.get_json(silent=True) or {})
    value = body.get("version") if isinstance(body, dict) else None
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(_("The case version is required."), {"version": _("Must be a whole number")})
    return value


def _filter(args) -> InboxFilter:
    return InboxFilter(assignee_me=args.get("assignee") == "me", unclaimed=args.get("unclaimed") == "1",
                       due_today=args.get("due") == "today", overdue=args.get("overdue") == "1",
                       lane=args.get("lane") or None, text=search_text(args.get("q") or ""))


def _limit(raw: str | None) -> int:
    limit = parse_int(raw, "limit") if raw else 50
    if not 1 <= limit <= 200:
        raise InvalidInput(_("Not a valid page size."), {"limit": _("Between 1 and 200")})
    return limit


def encode_cursor(task) -> str:
    raw = json.dumps([task.due_at.isoformat() if task.due_at else None, task.id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[datetime | None, str] | None:
    if not cursor:
        return None
    try:
        due, task_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return (datetime.fromisoformat(due) if due else None), str(task_id)
    except (ValueError, TypeError):
        raise InvalidInput(_("Not a valid cursor."), {"cursor": _("Use next_cursor from the previous page")}) from None
