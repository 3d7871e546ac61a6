"""The repair rate's projection: the step that grants a repair writes the record's `repaired_at`
(the local day its case closed) in the same transaction; a rejection writes nothing; the rate
counts from it, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tests.support.api_cases import department_decides, file_request, forward
from tests.support.web import token_for
from workflows.core.clock import to_local
from workflows.core.models.cases import Case
from workflows.core.models.records import CreditRecord
from workflows.people.access import Actor
from workflows.statistics.operations import read_section
from workflows.statistics.period import parse_scope

ADMIN = Actor("admin1", frozenset({"admin"}))


def test_a_granted_repair_writes_the_day_a_rejected_one_does_not(client, clock, runtime, store, make_record, staff):
    a, b = make_record("2026-05-10"), make_record("2026-05-11")
    app1 = token_for(client, "applicant1")
    docs = [forward(client, file_request(client, app1, [rid]).get_json()) for rid in (a, b)]
    clock.set(datetime.fromisoformat("2026-10-09T23:59:59+08:00"))  # the last second of a local day
    approved = department_decides(client, docs[0], "approve")
    assert approved.status_code == 200, approved.get_json()
    rejected = department_decides(client, docs[1], "reject", reason="整改材料不实")
    assert rejected.get_json()["outcome"] == "rejected"
    with store.read() as session:
        days = dict(session.execute(select(CreditRecord.id, CreditRecord.repaired_at)).all())
        closed = session.scalar(select(Case.closed_at).where(Case.id == approved.get_json()["id"]))
    assert days == {a: to_local(closed).date(), b: None}
    assert str(days[a]) == "2026-10-09"

    clock.set(datetime.fromisoformat("2026-11-02T10:00:00+08:00"))
    f = read_section(runtime.store, runtime.calendar.get(), ADMIN, "repair",
                     parse_scope({"period": "year", "year": "2026"}, clock.now())).figures
    assert (f["records_eligible"], f["records_repaired"], f["repair_rate"]) == (2, 1, 0.5)
    next_year = read_section(runtime.store, runtime.calendar.get(), ADMIN, "repair",
                      parse_scope({"period": "quarter", "year": "2027", "quarter": "1"}, clock.now())).figures
    assert (next_year["records_eligible"], next_year["records_repaired"]) == (1, 0)  # a was repaired before 2027
