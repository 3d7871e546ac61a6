"""Issue 13: schemathesis against the app on a real server on 127.0.0.1, as each role, on SQLite
and PostgreSQL: no server error, and every answer as /api/v1/openapi.json describes it (status
code, content type, body schema, headers). Bounded (docs/fuzzing.md: examples per operation,
derandomized); failures are gathered over every operation and reported with a curl line each."""
from __future__ import annotations

import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from tests.support.fuzz import ROLES, examples, seed
from workflows.core.models.people import User
from workflows.people.tokens import issue_for

pytestmark = pytest.mark.fuzz
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
REVOKES_ITS_TOKEN = ("DELETE", "/api/v1/auth/token")  # revokes the token it is called with: one of its own per call
_PATH_ARG = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_answer_is_documented_and_none_is_a_server_error(live_api, fuzz_world, store, runtime, role):
    schema = schemathesis.openapi.from_dict(requests.get(f"{live_api}/api/v1/openapi.json", timeout=30).json())
    session = requests.Session()
    failures: dict[tuple[str, str], str] = {}

    def token_for(operation) -> str:
        if (operation.method.upper(), operation.path) != REVOKES_ITS_TOKEN:
            return fuzz_world.tokens[role]
        with store.read() as s:
            user_id = s.scalar(select(User.id).where(User.username == ROLES[role]))
        return issue_for(store, user_id, runtime.clock.now(), 1)[0]

    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples(), derandomize=seed() is None, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=_cases(operation, fuzz_world.path_values(operation.path)))
        def fuzz(case) -> None:  # run before the loop moves on: `operation` is this one
            headers = {"Authorization": f"Bearer {token_for(operation)}"}
            try:
                case.call_and_validate(base_url=live_api, session=session, headers=headers, checks=CHECKS, timeout=60)
            except FailureGroup as group:  # gathered, not raised: every operation runs, none is shrunk
                for failure in group.exceptions:
                    failures.setdefault((operation.label, failure.title), str(group))

        if seed() is not None:
            fuzz = hypothesis_seed(seed())(fuzz)
        fuzz()
    assert not failures, f"{len(failures)} failure(s) as {role}:\n" + "\n".join(
        f"--- {label}: {title}\n{text[:2500]}" for (label, title), text in failures.items())


def _cases(operation, known: dict[str, str]):
    """Valid requests, valid ones naming real rows in the path, and invalid ones."""
    named = {name: known[name] for name in _PATH_ARG.findall(operation.path) if name in known}
    strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if named:
        strategies.insert(1, operation.as_strategy(GenerationMode.POSITIVE, path_parameters=named))
    return st.one_of(strategies)
