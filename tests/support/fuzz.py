"""The schemathesis run of tests/web/api/fuzz: a seeded world, one token per role, the bounds.

The world is the demo (people, departments, subjects) plus records, a repair case, an
objection, a commitment, a training session and a letter, so small integer ids in fuzzed
paths often reach real rows. Bounds come from the environment so a longer run needs no edit:
CREDIT_CASES_FUZZ_EXAMPLES (examples per operation, role and database) and
CREDIT_CASES_FUZZ_SEED (a Hypothesis seed instead of the derandomized default).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from flask.testing import FlaskClient

from workflows.core.config import PROJECT_ROOT
from workflows.core.store import Store
from workflows.engine.rules import RuleBook
from workflows.people.demo import DEMO_PASSWORD, load_demo
from workflows.records import create_record

from .api_cases import SUBJECT_A, commit, file_request
from .records import record_data
from .training import SESSION
from .web import bearer, token_for

ROLES = {"applicant": "applicant1", "reviewer": "reviewer1", "department": "dept1", "admin": "admin1"}
DEFAULT_EXAMPLES = 12


def examples() -> int:
    return int(os.environ.get("CREDIT_CASES_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)


def seed() -> int | None:
    raw = os.environ.get("CREDIT_CASES_FUZZ_SEED")
    return int(raw) if raw else None


@dataclass(frozen=True)
class World:
    """The seeded rows a fuzzed path may name: role -> token, and real values of path parameters."""

    tokens: dict[str, str]
    task_id: str
    commitment_code: str

    def path_values(self, path: str) -> dict[str, str]:
        """Real values for the text parameters of `path` (integer ids hit rows by themselves):
        the fuzzer then also reaches the operations behind the not-found answers. Admin verbs get
        a user and a department no other role's run depends on."""
        if path.startswith("/api/v1/admin/departments/"):
            return {"code": "QZ-STHJ"}
        if path.startswith("/api/v1/admin/users/"):
            return {"username": "applicant2"}
        if path.startswith("/api/v1/commitments/"):
            return {"code": self.commitment_code}
        return {"code": SUBJECT_A, "task_id": self.task_id, "day": "2026-10-02", "number": "PX-1"}


def seed_world(client: FlaskClient, store: Store, now: datetime) -> World:
    """Rows of every kind (through the API, as users make them)."""
    rules = RuleBook.from_directory(PROJECT_ROOT / "bpmn")
    with store.write() as uow:
        load_demo(uow.session, now)
        ids = [create_record(uow.session, rules, record_data(decision_no=f"泉市监罚〔2026〕{n}号"), "dept1", now).id
               for n in (11, 12, 13)]
        uow.commit()
    tokens = {role: token_for(client, username, DEMO_PASSWORD) for role, username in ROLES.items()}
    applicant, admin = bearer(tokens["applicant"]), bearer(tokens["admin"])
    repair = file_request(client, tokens["applicant"], [ids[0]])
    assert repair.status_code == 201, repair.get_json()
    objection = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [ids[1]],
                 "form": {"target": "content", "claim": "罚款金额公示有误", "evidence": "处罚决定书原件"}}
    for filed in (client.post("/api/v1/cases", headers=applicant, json=objection), commit(client, tokens["applicant"])):
        assert filed.status_code == 201, filed.get_json()
    commitments = client.get("/api/v1/commitments", headers=admin).get_json()["items"]
    assert client.post("/api/v1/calendar/overrides", headers=admin,
                       json={"day": "2026-10-02", "working": True, "note": "调休"}).status_code == 201
    session = client.post("/api/v1/training/sessions", headers=admin, json=SESSION).get_json()
    enrolled = client.post(f"/api/v1/training/sessions/{session['id']}/enrollments", headers=applicant,
                           json={"attendee": "陈志明"})
    assert enrolled.status_code == 201, enrolled.get_json()
    assert client.post("/api/v1/warnings/scan", headers=admin).status_code == 200
    task_id = next(t["id"] for t in repair.get_json()["tasks"] if t["state"] == "ready")
    return World(tokens, task_id, commitments[0]["code"])
