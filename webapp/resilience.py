"""A lost database connection is not a server error.

A PostgreSQL backend can die under a request (a restart, `pg_terminate_backend`, a
failover). SQLAlchemy then invalidates that connection and every older one in the pool, so the
next checkout connects afresh (`workflows.core.db.connection_lost`). A GET or HEAD changes
nothing: it runs once more, from the start, on a fresh connection. Any other request may have
been cut off inside its transaction (rolled back) or at its commit (outcome unknown): it
answers 503 with Retry-After, in the API.md error shape under /api/ and as a Chinese page
otherwise; the client retries (safely with an Idempotency-Key).
"""
from __future__ import annotations

import logging

from flask import Flask, Response, g, request

from workflows.core.db import connection_lost

from .errors import connection_lost_response

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ResilientFlask(Flask):
    """Flask, with requests that survive a database connection dying under them."""

    def full_dispatch_request(self) -> Response:
        try:
            return super().full_dispatch_request()
        except Exception as err:
            if not connection_lost(err):
                raise
            if request.method not in SAFE_METHODS:
                log.warning("database connection lost during %s %s: answered 503", request.method, request.path)
                return self.finalize_request(connection_lost_response(), from_error_handler=True)
        log.warning("database connection lost during %s %s: running it again", request.method, request.path)
        _forget_request_state()
        try:
            return super().full_dispatch_request()
        except Exception as err:
            if not connection_lost(err):
                raise
            log.warning("database connection lost again during %s %s: answered 503", request.method, request.path)
            return self.finalize_request(connection_lost_response(), from_error_handler=True)


def _forget_request_state() -> None:
    """What the first attempt cached on `g` (the caller, the loaded user) is read again."""
    for name in list(g):
        g.pop(name, None)
