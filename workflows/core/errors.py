"""Domain errors. The web layer maps each to an HTTP status and the API.md error shape."""
from __future__ import annotations


class CaseError(Exception):
    """Base class: `code` is stable (API `error` key), `message` is Chinese for people."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(CaseError):
    code = "invalid"
    http_status = 400


class NotFound(CaseError):
    code = "not_found"
    http_status = 404


class Forbidden(CaseError):
    code = "forbidden"
    http_status = 403


class Conflict(CaseError):
    """Stale version, task already completed, or a state that no longer allows the step."""

    code = "conflict"
    http_status = 409


class TooLarge(CaseError):
    """A request body or file over its documented maximum (docs/limits.md)."""

    code = "too_large"
    http_status = 413


class RuleViolation(CaseError):
    """Well-formed but breaks a rule (e.g. minimum publicity period not reached)."""

    code = "rule_violation"
    http_status = 422


class Unavailable(CaseError):
    """The service cannot do this now, through no fault of the request (the database connection
    was lost, the letter fonts are not prepared): retry later. Answered 503 with Retry-After."""

    code = "unavailable"
    http_status = 503
    retry_after = 5  # seconds


class ActionFailed(CaseError):
    """A service-task action raised; the step was rolled back."""

    code = "action_failed"
    http_status = 500
