"""The commitment register on SQLite and PostgreSQL: dashboard counts, 践诺率, overdue
verifications, staff filters and scoping, and the public listing (never restricted, never raw IDs)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from workflows.people.access import Actor
from workflows.kinds.commitment.register import (
    RegisterFilter,
    commitment_document,
    dashboard,
    list_commitments,
    public_commitments,
    readable_commitment,
    scoped,
)
from workflows.core.errors import Forbidden, NotFound

from tests.support.commitments import COMPANY, OTHER, PERSON, PERSON_MASKED, add, commitment


def test_dashboard_counts_rates_and_overdue(store, clock, crafted):
    with store.read() as session:
        board = dashboard(session, clock.now())
    assert (board["total"], board["fulfilled"], board["breached"], board["fulfilment_rate"]) == (10, 2, 2, 0.5)
    assert board["by_status"] == {"fulfilled": 2, "breached": 2, "accepted": 4, "withdrawn": 1, "filed": 1}
    types = {row["type"]: row for row in board["by_type"]}
    assert list(types) == ["approval_substitute", "deficiency_acceptance", "certification", "repair",
                           "industry_self_discipline", "voluntary_disclosure"]
    assert [(t["name"], t["total"], t["fulfilled"], t["breached"]) for t in types.values()] == [
        ("审批替代型", 3, 2, 1), ("容缺受理型", 2, 0, 0), ("证明事项告知承诺型", 2, 0, 0),
        ("信用修复型", 2, 0, 1), ("行业自律型", 0, 0, 0), ("主动公示型", 1, 0, 0)]
    assert types["approval_substitute"]["fulfilment_rate"] == pytest.approx(2 / 3)
    assert types["repair"]["fulfilment_rate"] == 0.0 and types["certification"]["fulfilment_rate"] is None
    departments = {row["department_code"]: row for row in board["by_department"]}
    assert {code: (d["total"], d["accepted"], d["fulfilled"], d["breached"], d["overdue"])
            for code, d in departments.items()} == {"QZ-SCJG": (6, 2, 2, 1, 1), "QZ-ZJ": (4, 2, 0, 1, 1)}
    assert departments["QZ-ZJ"]["department_name"] == "泉州市住房和城乡建设局"
    assert departments["QZ-SCJG"]["fulfilment_rate"] == pytest.approx(2 / 3)
    assert board["overdue"]["count"] == 2
    assert [(i["code"], i["due_on"], i["days_overdue"]) for i in board["overdue"]["items"]] == [
        ("350500202606010000E1", "2026-09-01", 29), ("350500202606010000D1", "2026-09-29", 1)]


def test_dashboard_of_one_department_and_counting_in_sql(store, clock, crafted):
    loaded: list[str] = []

    def watch(_conn, _cursor, statement, *_args):
        if "GROUP BY" not in statement and "FROM commitment" in statement:
            loaded.append(statement)
    event.listen(store.engine, "before_cursor_execute", watch)
    try:
        with store.read() as session:
            board = dashboard(session, clock.now(), department_code="QZ-ZJ")
    finally:
        event.remove(store.engine, "before_cursor_execute", watch)
    assert (board["total"], board["breached"], board["fulfilment_rate"]) == (4, 1, 0.0)
    assert board["overdue"]["count"] == 1
    assert [d["department_code"] for d in board["by_department"]] == ["QZ-ZJ"]
    assert len(loaded) == 1 and "LIMIT" in loaded[0]  # only the capped overdue list reads rows


def test_register_filters_search_pages_and_scope(store, clock, crafted):
    add(store, commitment(code="350500202609010000P1", subject_code=PERSON, subject_name="张三",
                          subject_category="自然人", commitment_type="repair"))
    with store.read() as session:
        def codes(**wanted) -> list[str]:
            return [row.code for row in list_commitments(session, RegisterFilter(**wanted), clock.now()).items]
        assert codes(overdue_only=True) == ["350500202606010000E1", "350500202606010000D1"]
        assert codes(query="张") == codes(query=PERSON.lower()) == codes(query=" 350500202609010000P1 ") == [
            "350500202609010000P1"]
        assert len(codes(type="repair")) == 3 and len(codes(status="breached", fulfilment="false")) == 1
        assert len(codes(department_code="QZ-ZJ")) == 4
        first = list_commitments(session, RegisterFilter(limit=4), clock.now())
        second = list_commitments(session, RegisterFilter(limit=4, cursor=first.next_cursor), clock.now())
        third = list_commitments(session, RegisterFilter(limit=4, cursor=second.next_cursor), clock.now())
        assert [len(p.items) for p in (first, second, third)] == [4, 4, 3] and third.next_cursor is None
        officer = Actor("dept2", frozenset({"department"}), department_code="QZ-ZJ")
        assert scoped(officer, RegisterFilter(department_code="QZ-SCJG")).department_code == "QZ-ZJ"
        assert scoped(Actor("r", frozenset({"reviewer"})), RegisterFilter()).department_code is None
        with pytest.raises(Forbidden):
            scoped(Actor("nodept", frozenset({"department"})), RegisterFilter())
        with pytest.raises(NotFound):  # another department's commitment does not exist for the officer
            readable_commitment(session, officer, "350500202606010000D1")
        assert readable_commitment(session, officer, "350500202606010000E1").department_code == "QZ-ZJ"
        person = Actor("zhang", frozenset({"applicant"}), subject_code=PERSON)
        assert readable_commitment(session, person, "350500202609010000P1").subject_name == "张三"
        with pytest.raises(NotFound):
            readable_commitment(session, person, "350500202606010000E1")


def test_public_listing_shows_only_published_public_rows_masked(store):
    add(store,
        commitment(code="350500202609010000P1", subject_code=PERSON, subject_name="张三", subject_category="自然人",
                   commitment_type="repair"),
        commitment(code="350500202609010000C1", status="fulfilled", fulfilment="full"),
        commitment(code="350500202609010000R1", disclosure="restricted"),
        commitment(code="350500202609010000X1", disclosure="private", subject_code=PERSON, subject_name="张三"),
        commitment(code="350500202609010000F1", status="filed"),
        commitment(code="350500202609010000W1", status="withdrawn"),
        commitment(code="350500202609010000O1", subject_code=OTHER, subject_name="厦门海沧建材贸易有限公司",
                   status="breached", fulfilment="none"))
    with store.read() as session:
        page = public_commitments(session, "", 50, None)
        assert [item["code"] for item in page.items] == [
            "350500202609010000O1", "350500202609010000C1", "350500202609010000P1"]
        assert PERSON not in repr(page.items) and page.items[2]["subject_code"] == PERSON_MASKED
        assert page.items[1]["subject_code"] == COMPANY  # USCC codes are public
        assert [i["code"] for i in public_commitments(session, PERSON, 50, None).items] == ["350500202609010000P1"]
        assert [i["code"] for i in public_commitments(session, "海沧", 50, None).items] == ["350500202609010000O1"]
        assert public_commitments(session, "350500202609010000R1", 50, None).items == []
        assert public_commitments(session, "350500202609010000X1", 50, None).items == []
        first = public_commitments(session, "", 2, None)
        rest = public_commitments(session, "", 2, first.next_cursor)
        assert len(first.items) == 2 and [i["code"] for i in rest.items] == ["350500202609010000P1"]


def test_document_has_the_national_items(store):
    [code] = add(store, commitment(subject_code=PERSON, subject_category="自然人", valid_until=date(2027, 6, 1)))
    with store.read() as session:
        row = readable_commitment(session, Actor("a", frozenset({"admin"})), code)
        full, masked = commitment_document(row, True), commitment_document(row, False)
    assert set(full) == {"code", "subject_name", "subject_category", "subject_code", "commitment_type",
                         "commitment_type_name", "matter", "content", "liability", "made_on", "valid_until",
                         "disclosure", "department_name", "status", "fulfilment", "unfulfilled",
                         "liability_action", "verified_on", "verified_by"}
    assert (full["subject_code"], masked["subject_code"]) == (PERSON, PERSON_MASKED)
    assert (full["commitment_type_name"], full["made_on"], full["valid_until"]) == (
        "审批替代型", "2026-06-01", "2027-06-01")
