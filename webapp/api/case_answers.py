"""Case answers built inside the operation's transaction (the API's case-changing POSTs).

The case document is read in the verb's own transaction and encoded there: nothing is left
to fail between the commit and the answer, and a request sent with an `Idempotency-Key`
stores exactly these bytes with its key in that same transaction.
"""
from __future__ import annotations

from typing import Any

from flask import Response, current_app

from workflows.core import idempotency
from workflows.core.errors import NotFound
from workflows.engine.case_engine import Describe
from workflows.kinds.common.case_reading import describe_with
from workflows.people.access import Actor


class CaseAnswer:
    """Pass `describe` to the verb; after it returns, `response()` is the answer it built."""

    def __init__(self, actor: Actor, status: int = 200) -> None:
        self.status = status
        self.describe: Describe = describe_with(actor, self._encode)
        self._response: Response | None = None

    def _encode(self, document: dict[str, Any]) -> None:
        response = current_app.json.response(document)
        response.status_code = self.status
        idempotency.prepare(idempotency.Answer(self.status, response.get_data(), response.content_type))
        self._response = response

    def response(self) -> Response:
        """The case as the verb committed it; NotFound if the caller may not read it (someone
        filing for another subject), as `GET /cases/{id}` would answer."""
        if self._response is None:
            raise NotFound("案件不存在")
        return self._response
