"""Small request/response helpers shared by the API modules (parse step of a handler)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import request
from flask_babel import gettext as _

from workflows.core.clock import to_local
from workflows.core.errors import InvalidInput

_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 in the API shape."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("The request body must be a JSON object."))
    return body


def iso_local(moment: datetime) -> str:
    """API times: ISO-8601 with the +08:00 offset (API.md conventions)."""
    return to_local(moment).isoformat(timespec="seconds")


def parse_day(value: Any, field: str) -> date:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_("A date is required."), {field: _("Required, e.g. 2026-10-08")})
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(_("Not a valid date."), {field: _("Use the form 2026-10-08")}) from None


def parse_moment(value: str | None, field: str) -> datetime:
    """An ISO date or date-time; an unencoded `+08:00` in a query string arrives as ` 08:00`."""
    if not value or not value.strip():
        raise InvalidInput(_("A date-time is required."), {field: _("Required")})
    text = _SPACED_OFFSET.sub(r"+\1", value.strip())
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Not a valid date-time."),
                           {field: _("Use ISO 8601, e.g. 2026-09-30T10:00:00+08:00")}) from None


def parse_int(value: str | None, field: str) -> int:
    if value is None or not re.fullmatch(r"\s*-?[0-9]{1,6}\s*", value):
        raise InvalidInput(_("Not a valid whole number."), {field: _("Must be a whole number")})
    return int(value)
