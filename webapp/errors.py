"""One error shape for the API (API.md) and Chinese error pages for people.

Everything under `/api/` answers `{"error", "message", "fields"}` with the right status,
whatever raised: a domain `CaseError`, a werkzeug `HTTPException` (404, 405, 413, ...),
a CSRF failure or an unexpected exception (Flask turns that into a 500 first).
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.core.errors import CaseError, Unavailable

# status -> (stable API code, message); the messages are English msgids shown in Chinese.
HTTP_ERRORS = {
    400: ("bad_request", _l("The request is malformed.")),
    401: ("unauthorized", _l("Please log in or provide a valid access token.")),
    403: ("forbidden", _l("You do not have permission to do this.")),
    404: ("not_found", _l("The requested resource was not found.")),
    405: ("method_not_allowed", _l("This request method is not supported here.")),
    409: ("conflict", _l("The request conflicts with the current state; reload and retry.")),
    413: ("too_large", _l("The upload is too large (at most 10 MB per file).")),
    422: ("rule_violation", _l("The request breaks a business rule.")),
    500: ("internal", _l("Internal server error; please try again later.")),
    503: ("unavailable", _l("The service is temporarily unavailable.")),
}
FALLBACK = ("error", _l("The request could not be completed."))
RETRY_AFTER_SECONDS = Unavailable.retry_after


def api_error(status: int, code: str, message: str,
              fields: dict[str, str] | None = None) -> Response:
    """A JSON error response in the API.md shape; views may return it directly."""
    response = jsonify({"error": code, "message": str(message), "fields": fields or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="credit-cases"'
    return response


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    app.register_error_handler(CaseError, handle_case_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)


def handle_case_error(err: CaseError) -> Response | tuple[str, int]:
    if is_api_request():
        response = api_error(err.http_status, err.code, err.message, err.fields)
    else:
        response = make_response(_page(err.http_status, err.message, err.fields))
    if isinstance(err, Unavailable):
        response.headers["Retry-After"] = str(err.retry_after)
    return response


def connection_lost_response() -> Response:
    """503 + Retry-After: the database connection died under the request (webapp/resilience.py)."""
    message = _("The database connection was interrupted; please try again in a moment.")
    if is_api_request():
        response = api_error(503, "unavailable", message)
    else:
        response = make_response(_page(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_csrf_error(err: CSRFError) -> Response | tuple[str, int]:
    message = _("The form has expired or is invalid; please reload the page and try again.")
    if is_api_request():
        return api_error(400, "csrf_failed", message)
    return _page(400, message)


def handle_http_exception(err: HTTPException) -> Response | tuple[str, int]:
    status = err.code or 500
    code, message = HTTP_ERRORS.get(status, FALLBACK)
    if is_api_request():
        response = api_error(status, code, str(message))
        allow = dict(err.get_headers()).get("Allow")
        if allow:  # 405 tells which methods would work
            response.headers["Allow"] = allow
        return response
    return _page(status, str(message))


def _page(status: int, message: str, fields: dict[str, str] | None = None) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, message=message,
                           fields=fields or {}), status
