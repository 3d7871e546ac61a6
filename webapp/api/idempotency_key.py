"""`Idempotency-Key` on every POST of the API (draft-ietf-httpapi-idempotency-key-header).

Same caller, same key, same method, path and body → the first answer again (status and body,
with `Idempotent-Replayed: true`), nothing run twice; the key with another request → 422; a
duplicate while the first still runs → it waits for the first answer, else 409. Keys belong to
the caller (a user's username, a system client, or `anonymous` for `POST /auth/token`).

Only requests that wrote something keep their answer (`workflows.core.idempotency`): one
refused with nothing written (400, 403, 404, 409, 422 …) leaves no trace, so its retry runs
again. Answers marked `Cache-Control: no-store` (a token shown once) keep their status only:
their replay is a 422 saying the request was done; so is the replay of a server error after a
commit (the change stands: look it up). Keys are kept 24 hours.
"""
from __future__ import annotations

import hashlib
import re
import time

from flask import Response, current_app, request
from flask_babel import gettext as _

from workflows.core import idempotency
from workflows.core.idempotency import KEY_MAX_LENGTH, KeyedRequest, KeyInUse, Seen
from workflows.people.permissions import allows

from ..auth import current_actor
from ..errors import api_error
from ..runtime import get_runtime
from .blueprint import bp

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WAIT_SECONDS = 2.0  # how long a duplicate waits for the first request's answer
_QUOTED = re.compile(r'"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"')  # an RFC 8941 sf-string
_BARE = re.compile(r"[\x21-\x7e]+")


class BadKey(ValueError):
    pass


def parse_key(values: list[str]) -> str:
    """The key of one header line: an RFC 8941 string (`"…"`, as the draft says) or, as most
    clients send it, the bare value; 1–200 printable ASCII characters."""
    if len(values) != 1:
        raise BadKey
    raw = values[0].strip()
    if raw.startswith('"'):
        quoted = _QUOTED.fullmatch(raw)
        if quoted is None:
            raise BadKey
        key = re.sub(r'\\(["\\])', r"\1", quoted[1])
    elif _BARE.fullmatch(raw):
        key = raw
    else:
        raise BadKey
    if not key.strip() or len(key) > KEY_MAX_LENGTH:
        raise BadKey
    return key


@bp.before_request
def replay_or_arm() -> Response | None:
    """A keyed POST: answer a repeat from the stored answer, else arm its key for its first write."""
    if request.method != "POST" or HEADER not in request.headers:
        return None
    caller = _caller()
    if caller is None:  # the route's guard answers 401 or 403; nothing will run
        return None
    try:
        key = parse_key(request.headers.getlist(HEADER))
    except BadKey:
        return api_error(400, "invalid_idempotency_key", _("The Idempotency-Key header is not valid."),
                         {HEADER: _("1 to %(n)d printable ASCII characters, e.g. a UUID", n=KEY_MAX_LENGTH)})
    runtime = get_runtime()
    keyed = KeyedRequest(caller, key, request.method, _path(), _body_sha256())
    seen = idempotency.look_up(runtime.store, keyed, runtime.clock.now())
    if seen is None:
        idempotency.arm(keyed, runtime.clock.now())
        return None
    return _answer(seen, keyed)


@bp.after_request
def keep_answer(response: Response) -> Response:
    """Store the answer of a keyed request that wrote, unless its transaction already did."""
    claim = idempotency.current()
    if claim is None or not claim.claimed or claim.answered:
        return response
    secret = response.is_streamed or "no-store" in response.headers.get("Cache-Control", "")
    failed = response.status_code >= 500  # after a commit: the change stands, the answer is not worth repeating
    answer = idempotency.Answer(response.status_code, None if secret or failed else response.get_data(),
                                response.content_type)
    try:
        idempotency.keep(get_runtime().store, answer)
    except Exception:  # noqa: BLE001 - the caller still gets its answer; a retry learns it was done
        current_app.logger.exception("the answer of %s %s was not stored with its key", request.method, request.path)
    return response


@bp.teardown_request
def disarm(_error: BaseException | None) -> None:
    idempotency.disarm()


@bp.errorhandler(KeyInUse)
def key_in_use(_err: KeyInUse) -> Response:
    """A concurrent request with the same key wrote first (this one was rolled back): its answer."""
    claim = idempotency.current()
    runtime = get_runtime()
    seen = idempotency.look_up(runtime.store, claim.request, runtime.clock.now()) if claim else None
    if claim is None or seen is None:
        return _in_progress()
    return _answer(seen, claim.request)


def _caller() -> str | None:
    """Whose key this is, if the route's guard will let the request through."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None
    actor = current_actor()
    if not hasattr(view, "api_permission"):  # an open route (POST /auth/token)
        return actor.username if actor is not None else "anonymous"
    permission = view.api_permission
    if actor is None or (permission is not None and not allows(actor, permission)):
        return None
    return actor.username


def _path() -> str:
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path


def _body_sha256() -> str:
    """The body's digest; for multipart, its fields and files' contents (a retry's new boundary
    is still the same request)."""
    digest = hashlib.sha256()
    if request.mimetype != "multipart/form-data":
        digest.update(request.get_data())
        return digest.hexdigest()
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(f"field:{name}={value}\n".encode("utf-8", "surrogatepass"))
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: (item[0], item[1].filename or "")):
        content = hashlib.sha256(upload.stream.read()).hexdigest()
        upload.stream.seek(0)
        digest.update(f"file:{name}:{upload.filename}:{content}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _answer(seen: Seen, keyed: KeyedRequest) -> Response:
    deadline = time.monotonic() + WAIT_SECONDS
    runtime = get_runtime()
    while seen.kind == "pending" and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = idempotency.look_up(runtime.store, keyed, runtime.clock.now()) or seen
    if seen.kind == "replay" and seen.answer is not None:
        response = Response(seen.answer.body, status=seen.answer.status, content_type=seen.answer.content_type)
        response.headers[REPLAYED] = "true"
        return response
    if seen.kind == "mismatch":
        return api_error(422, "idempotency_key_reused",
                         _("This Idempotency-Key was used for another request; use a new key for a new request."),
                         {HEADER: _("Already used with another path or body")})
    if seen.kind == "not_kept":
        return api_error(422, "idempotency_answer_not_kept",
                         _("This request was already done; its answer held a secret shown once and is not "
                           "repeated. Ask again with a new Idempotency-Key."), {HEADER: _("Already used")})
    if seen.kind == "lost":
        return api_error(422, "idempotency_answer_lost",
                         _("This request was already done but its answer was not kept; look the result up "
                           "instead of retrying with this Idempotency-Key."), {HEADER: _("Already used")})
    return _in_progress()


def _in_progress() -> Response:
    response = api_error(409, "idempotency_in_progress",
                         _("A request with this Idempotency-Key is still being processed; retry shortly."))
    response.headers["Retry-After"] = "1"
    return response
