"""The request boundary: input no operation could store is refused before any view runs.

Every query string, path segment, form field, upload name and JSON body is checked once here
for text PostgreSQL refuses (NUL) or that cannot be encoded (lone surrogates, which JSON can
spell as "\\ud800"), and JSON bodies for their size and nesting (a body 50,000 lists deep
exhausts the parser's recursion). The answer is the API.md error naming the field, 400, or
413 for a body too large; nothing is written. An id in a path above 2^63−1 (no row can have
it) is a 404 naming the parameter instead of an overflow in the database driver.
The operations keep their own checks (workflows/core/limits.py) for imports and the CLI.
"""
from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from workflows.core.errors import InvalidInput, NotFound, TooLarge
from workflows.core.limits import MAX_ID, storable, unencodable

MAX_JSON_BYTES = 2 * 1024 * 1024  # the largest legitimate body (a record with 20,000 characters of facts) is ~80 KB
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BoundedInt(IntegerConverter):
    """`<int:...>` for ids: ASCII digits only ("²" is a digit to `\\d` but not to `int`).

    Too many digits become MAX_ID + 1 rather than a ValidationError, which werkzeug would
    turn into a 405 when another method shares the path; `check_request` then answers 404
    naming the parameter."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value) if len(value) <= 19 else MAX_ID + 1


def init_app(app: Flask) -> None:
    """Before any blueprint registers a rule, so every `<int:...>` is the bounded one."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(check_request)


def check_request() -> None:
    _check_path(request.view_args or {})
    _check_pairs(request.args)
    if request.mimetype in FORM_TYPES:
        _check_pairs(request.form)
        for name, upload in request.files.items(multi=True):
            _check_text(name, upload.filename or "")
    elif request.is_json:
        _check_json()


def _check_json() -> None:
    if (request.content_length or 0) > MAX_JSON_BYTES or len(request.get_data(cache=True)) > MAX_JSON_BYTES:
        raise TooLarge(f"请求内容过大：JSON 请求体不能超过 {MAX_JSON_BYTES // (1024 * 1024)} MB",
                       {"body": "过大"})
    try:
        body = request.get_json(silent=True)  # cached for the view
    except RecursionError:
        raise InvalidInput("请求内容嵌套过深", {"body": "嵌套层数过多"}) from None
    storable(body)


def _check_path(values: dict[str, object]) -> None:
    for name, value in values.items():
        if isinstance(value, int) and value > MAX_ID:
            raise NotFound("请求的资源不存在：编号超出范围", {name: f"应为不超过{MAX_ID}的整数"})
        if isinstance(value, str):
            _check_text(name, value)


def _check_pairs(pairs: MultiDict) -> None:
    for key, value in pairs.items(multi=True):
        _check_text(key, key)
        if isinstance(value, str):
            _check_text(key, value)


def _check_text(name: str, text: str) -> None:
    problem = unencodable(text)
    if problem is not None:
        field = name if unencodable(name) is None else "query"
        raise InvalidInput(f"“{field}”{problem}", {field: problem})
