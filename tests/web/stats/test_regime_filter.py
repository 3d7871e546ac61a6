"""The statistics' regime filter counts the cases with a record of that regime, read from the
case's own `record_regimes`: written when a repair or objection links its records, and kept
when a correction re-judges a record's regime (SQLite and PostgreSQL)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tests.support.api_cases import SUBJECT_A, file_request
from tests.support.web import bearer, token_for
from workflows.core.models.cases import Case
from workflows.core.models.records import CreditRecord
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.records.service import amend_record
from workflows.statistics.operations import read_section
from workflows.statistics.period import REGIMES, parse_scope

ADMIN = Actor("admin1", frozenset({"admin"}))


def filed(runtime, kind: str, **query: str) -> int:
    scope = parse_scope({"period": "year", "year": "2026", "kind": kind, **query}, runtime.clock.now())
    return read_section(runtime.store, runtime.calendar.get(), ADMIN, kind, scope).figures["filed"]


def regimes_of(store, ids) -> dict[int, str]:
    with store.read() as session:
        return dict(session.execute(select(CreditRecord.id, CreditRecord.regime).where(CreditRecord.id.in_(ids))).all())


def case_regimes(store, case_id) -> str:
    with store.read() as session:
        return session.get(Case, case_id).record_regimes


def test_cases_are_counted_by_the_regimes_of_their_records(client, clock, runtime, make_record, staff):
    # decided under three regimes (DOMAIN.md §0): the record's regime is the DMN's verdict on its date
    new, middle, old = make_record("2026-05-10"), make_record("2025-08-01"), make_record("2024-06-03")
    regime = regimes_of(runtime.store, [new, middle, old])
    assert len(set(regime.values())) == 3, regime
    app1 = token_for(client, "applicant1")
    alone = file_request(client, app1, [new]).get_json()
    mixed = file_request(client, app1, [middle, old]).get_json()
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [old],
            "form": {"target": "content", "claim": "罚款金额公示有误", "evidence": "处罚决定书原件"}}
    answer = client.post("/api/v1/cases", headers=bearer(app1), json=body)
    assert answer.status_code == 201, answer.get_json()
    objection = answer.get_json()

    assert case_regimes(runtime.store, alone["id"]) == f" {regime[new]} "
    assert case_regimes(runtime.store, mixed["id"]) == " " + " ".join(sorted({regime[middle], regime[old]})) + " "
    assert case_regimes(runtime.store, objection["id"]) == f" {regime[old]} "
    expected = Counter({regime[new]: 1, regime[middle]: 1, regime[old]: 1})
    for key in REGIMES:
        assert filed(runtime, "repair", regime=key) == expected[key], key
    assert filed(runtime, "repair") == 2  # a case of two regimes is counted once without the filter
    assert filed(runtime, "objection", regime=regime[old]) == 1
    assert filed(runtime, "objection", regime=regime[new]) == 0

    # a corrected decision date re-judges the record's regime: its cases follow
    rules = RuleBook.from_directory(runtime.settings.bpmn_dir)
    with runtime.store.write() as uow:
        record = uow.session.get(CreditRecord, middle)
        amend_record(uow.session, record, {"decision_date": "2026-05-11"}, "dept1", clock.now(),
                     reason="决定日期录入有误", rules=rules)
        uow.commit()
    assert regimes_of(runtime.store, [middle])[middle] == regime[new]
    assert case_regimes(runtime.store, mixed["id"]) == " " + " ".join(sorted({regime[new], regime[old]})) + " "
    assert filed(runtime, "repair", regime=regime[middle]) == 0
    assert filed(runtime, "repair", regime=regime[new]) == 2
    assert filed(runtime, "repair", regime=regime[old]) == 1


def test_an_unknown_regime_is_refused(client, runtime, staff):
    """Only the regimes the law has are filters: a LIKE pattern never reaches the query."""
    token = token_for(client, "admin1")
    for bad in ("%", "gb2_", "gb22 order36"):
        refused = client.get("/api/v1/statistics/repair", query_string={"period": "year", "year": "2026", "regime": bad},
                             headers=bearer(token))
        assert refused.status_code == 400 and refused.get_json()["fields"]["regime"], bad
