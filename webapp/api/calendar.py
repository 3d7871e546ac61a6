"""Working-day deadlines for anyone; the admin's calendar overrides and confirmed years (twins of
/admin/calendar)."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _

from workflows.administration.calendar import (
    clear_day,
    confirm_year,
    list_overrides,
    set_day,
    unconfirm_year,
    year_statuses,
)
from workflows.core.calendar import published_through
from workflows.core.clock import to_local
from workflows.core.errors import InvalidInput, NotFound
from workflows.core.models.calendar import CalendarOverride, CalendarYear

from ..auth import current_actor
from ..auth.guards import api_permission
from ..runtime import get_runtime
from .blueprint import bp
from .openapi import document, query_param
from .util import iso_local, json_body, parse_day, parse_int, parse_moment

DEADLINE = {"type": "object", "required": ["due_date", "due_at", "provisional", "provisional_years"], "properties": {
    "due_date": {"type": "string", "format": "date"},
    "due_at": {"type": "string", "format": "date-time"},
    "provisional": {"type": "boolean", "description": "the count reaches a year whose State Council holiday "
                    "notice is neither in the holidays data nor confirmed by the admin: an estimate"},
    "provisional_years": {"type": "array", "items": {"type": "integer"}}}}
YEAR = {"type": "object", "properties": {
    "year": {"type": "integer"}, "status": {"type": "string", "enum": ["official", "confirmed", "provisional"]},
    "note": {"type": "string"}, "confirmed_by": {"type": ["string", "null"]},
    "confirmed_at": {"type": ["string", "null"], "format": "date-time"}}}
NEW_YEAR = {"type": "object", "required": ["year"], "properties": {
    "year": {"type": "integer"}, "note": {"type": "string", "maxLength": 200}}}
YEAR_LIST = {"type": "object", "properties": {"items": {"type": "array", "items": YEAR}}}
OVERRIDE = {"type": "object", "properties": {
    "day": {"type": "string", "format": "date"}, "working": {"type": "boolean"},
    "note": {"type": "string", "maxLength": 200}, "created_by": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"}}}
NEW_OVERRIDE = {"type": "object", "required": ["day", "working"], "properties": {
    "day": {"type": "string", "format": "date"}, "working": {"type": "boolean"},
    "note": {"type": "string", "maxLength": 200}}}
OVERRIDE_LIST = {"type": "object", "properties": {
    "items": {"type": "array", "items": OVERRIDE}, "next_cursor": {"type": ["string", "null"]},
    "published_through": {"type": "integer"}}}


@bp.get("/calendar/deadline")
@document("Deadline: end of the n-th working day after a moment", tags=["calendar"],
          parameters=[query_param("start", "ISO 8601 date-time (receipt)", required=True),
                      query_param("days", "working days", {"type": "integer", "minimum": 0},
                                  required=True)],
          responses={200: ("The deadline", DEADLINE)})
def deadline() -> Response:
    start = parse_moment(request.args.get("start"), "start")
    days = parse_int(request.args.get("days"), "days")
    calendar = get_runtime().calendar.get()
    due = calendar.deadline(start, days)
    unconfirmed = calendar.unconfirmed_years(start, due)
    return jsonify(due_date=due.date().isoformat(), due_at=due.isoformat(), provisional=bool(unconfirmed),
                   provisional_years=unconfirmed)


@bp.get("/calendar/overrides")
@document("List calendar overrides", tags=["calendar"],
          responses={200: ("All overrides, by day", OVERRIDE_LIST)})
@api_permission(None)
def overrides() -> Response:
    items = [override_json(row) for row in list_overrides(get_runtime().store)]
    return jsonify(items=items, next_cursor=None, published_through=published_through())


@bp.post("/calendar/overrides")
@document("Set a day's override (make-up working day or rest day)", tags=["calendar"],
          request=NEW_OVERRIDE, responses={201: ("The override", OVERRIDE)}, errors=(400, 403, 422))
@api_permission("may_manage_calendar")
def add_override() -> tuple[Response, int]:
    body = json_body()
    day = parse_day(body.get("day"), "day")
    working, note = body.get("working"), body.get("note", "")
    if not isinstance(working, bool):
        raise InvalidInput(_("Say whether the day is a working day."),
                           {"working": _("Must be true or false")})
    if not isinstance(note, str):
        raise InvalidInput(_("The note must be text."), {"note": _("Must be text")})
    return jsonify(override_json(set_day(get_runtime().calendar, current_actor(), day, working, note.strip()))), 201


@bp.delete("/calendar/overrides/<day>")
@document("Remove a day's override", tags=["calendar"],
          responses={204: ("Removed", None)}, errors=(400, 404, 422))
@api_permission("may_manage_calendar")
def remove_override(day: str) -> tuple[str, int]:
    parsed = parse_day(day, "day")
    if not clear_day(get_runtime().calendar, current_actor(), parsed):
        raise NotFound(_("There is no override for this day."))
    return "", 204


@bp.get("/calendar/years")
@document("Years: official (holidays data), confirmed by the admin, or provisional", tags=["calendar"],
          responses={200: ("This year, next year and every confirmed year", YEAR_LIST)})
@api_permission(None)
def years() -> Response:
    runtime = get_runtime()
    statuses, _names = year_statuses(runtime.store, to_local(runtime.clock.now()).date())
    return jsonify(items=[_status_json(s.year, s.status, s.confirmation) for s in statuses])


@bp.post("/calendar/years")
@document("Confirm a year: its State Council holiday notice is entered as overrides", tags=["calendar"],
          request=NEW_YEAR, responses={201: ("The confirmed year", YEAR)})
@api_permission("may_manage_calendar")
def add_year() -> tuple[Response, int]:
    body = json_body()
    year, note = body.get("year"), body.get("note", "")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput(_("Give the year as a whole number."), {"year": _("Must be an integer")})
    if not isinstance(note, str):
        raise InvalidInput(_("The note must be text."), {"note": _("Must be text")})
    row = confirm_year(get_runtime().calendar, current_actor(), year, note.strip())
    return jsonify(_status_json(year, "confirmed", row)), 201


@bp.delete("/calendar/years/<int:year>")
@document("Withdraw a year's confirmation: its deadlines are provisional again", tags=["calendar"],
          responses={204: ("Withdrawn", None)}, errors=(404,))
@api_permission("may_manage_calendar")
def remove_year(year: int) -> tuple[str, int]:
    if not unconfirm_year(get_runtime().calendar, current_actor(), year):
        raise NotFound(_("This year is not confirmed."))
    return "", 204


def _status_json(year: int, status: str, row: CalendarYear | None) -> dict[str, object]:
    return {"year": year, "status": status, "note": row.note if row else "",
            "confirmed_by": row.confirmed_by if row else None,
            "confirmed_at": iso_local(row.confirmed_at) if row else None}


def override_json(row: CalendarOverride) -> dict[str, object]:
    return {"day": row.day.isoformat(), "working": row.working, "note": row.note,
            "created_by": row.created_by, "created_at": iso_local(row.created_at)}
