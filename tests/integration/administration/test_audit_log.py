"""Searching, paging and exporting the audit log (workflows.administration.audit)."""
from __future__ import annotations

import pytest

from tests.support.audit import add_events, seed_audit
from tests.support.subjects import OTHER
from workflows.administration import audit_log as audit
from workflows.administration.audit_log import (
    AuditFilter,
    audit_page,
    export_entries,
    parse_filter,
)
from workflows.core.errors import Forbidden, InvalidInput
from workflows.people.access import Actor

AUDITOR = Actor("auditor1", frozenset({"auditor"}))


@pytest.fixture
def seeded(store):
    return seed_audit(store)


def found(store, seeded, **args) -> list[int]:
    """Which seeded events (by their index in EVENTS) a search finds, in the order shown."""
    wanted, cursor = parse_filter(args)
    ids = seeded["events"]
    return [ids.index(row.id) for row in audit_page(store, AUDITOR, wanted, cursor).items if row.id in ids]


def test_newest_first_with_the_subject_of_the_case(store, seeded):
    assert found(store, seeded) == [3, 2, 1, 0]
    rows = audit_page(store, AUDITOR, AuditFilter(actor="applicant2")).items
    assert [(r.subject_code, r.summary) for r in rows] == [(OTHER, "提交补正材料")]


@pytest.mark.parametrize(("args", "expected"), [
    ({"case_id": "first"}, [1, 0]),
    ({"subject_code": OTHER.lower()}, [2]),
    ({"actor": "reviewer1"}, [1, 0]),
    ({"kind": "task_completed"}, [2, 0]),
    ({"since": "2026-08-11"}, [3, 2, 1]),  # 00:10 in Shanghai is still the 10th in UTC
    ({"until": "2026-08-10"}, [0]),
    ({"since": "2026-08-11", "until": "2026-08-11"}, [1]),
    ({"actor": "reviewer1", "kind": "letter_issued"}, [1]),
    ({"actor": "nobody"}, []),
])
def test_each_filter_narrows_the_results(store, seeded, args, expected):
    if args.get("case_id") == "first":
        args = {"case_id": str(seeded["cases"][0])}
    assert found(store, seeded, **args) == expected


def test_pages_follow_the_cursor(store):
    ids = add_events(store, 5)
    first = audit_page(store, AUDITOR, AuditFilter(actor="bulk1"), limit=2)
    second = audit_page(store, AUDITOR, AuditFilter(actor="bulk1"), first.next_cursor, limit=2)
    last = audit_page(store, AUDITOR, AuditFilter(actor="bulk1"), second.next_cursor, limit=2)
    assert [r.id for r in first.items + second.items + last.items] == ids[::-1]
    assert last.next_cursor is None


def test_export_reads_in_chunks_up_to_its_cap(store, monkeypatch):
    ids = add_events(store, 7)
    monkeypatch.setattr(audit, "CHUNK", 3)
    assert [r.id for r in export_entries(store, AUDITOR, AuditFilter(actor="bulk1"))] == ids[::-1]
    assert [r.id for r in export_entries(store, AUDITOR, AuditFilter(actor="bulk1"), cap=4)] == ids[:2:-1]


@pytest.mark.parametrize(("args", "field", "message"), [
    ({"case_id": "abc"}, "case_id", "案件编号必须是正整数"),
    ({"case_id": "0"}, "case_id", "案件编号必须是正整数"),
    ({"cursor": "-5"}, "cursor", "翻页位置必须是正整数"),
    ({"since": "2026-02-30"}, "since", "开始日期格式不正确"),
    ({"until": "9999-12-31"}, "until", "结束日期格式不正确"),
    ({"since": "2026-10-02", "until": "2026-10-01"}, "until", "结束日期不能早于开始日期"),
    ({"actor": "x" * 65}, "actor", "操作人不能超过64个字符"),
    ({"subject_code": "9" * 19}, "subject_code", "主体代码不能超过18个字符"),
])
def test_bad_input_is_named_in_chinese(args, field, message):
    with pytest.raises(InvalidInput) as caught:
        parse_filter(args)
    assert message in caught.value.fields[field] and message in caught.value.message


def test_only_auditors_and_admins_read_it(store):
    for roles in ({"reviewer"}, {"applicant"}, {"supervisor"}, {"department"}):
        with pytest.raises(Forbidden):
            audit_page(store, Actor("someone", frozenset(roles)), AuditFilter())
        with pytest.raises(Forbidden):
            export_entries(store, Actor("someone", frozenset(roles)), AuditFilter())
    assert audit_page(store, Actor("admin1", frozenset({"admin"})), AuditFilter()).items == []
