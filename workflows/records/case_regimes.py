"""Which regimes a case's records are judged by, kept on the case (`Case.record_regimes`).

The statistics filter cases by the regime of their records. Asked per case through its
records, that was two index lookups per case and per query (1.3–2 s for a year's repair tab
on SQLite at scale); kept on the case, it is read from the statistics' own index. The text is
each regime between spaces (" gb22 ", " 527 order58 ") so a regime the DMN adds later needs
no mapping, and a filter is one LIKE on a column the index already holds.

Kept by whoever links a record to a case (`link_records`) and by a correction that re-judges a
record's regime (`refresh_for_record`).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from workflows.core.models.cases import Case
from workflows.core.models.records import CaseRecord, CreditRecord


def regimes_text(regimes: Iterable[str]) -> str:
    """" 527 gb22 " for {"gb22", "527"}; "" for none."""
    found = sorted(set(regimes))
    return f" {' '.join(found)} " if found else ""


def has_regime(regime: str) -> ColumnElement[bool]:
    """Cases with a record of `regime`."""
    return Case.record_regimes.contains(f" {regime} ", autoescape=True)


def link_records(session: Session, case: Case, records: Iterable[CreditRecord], *, new_case: bool = False) -> None:
    """Link the records to the case (those not linked yet: a new case has none) and add their
    regimes to it."""
    records = list(records)
    linked = set() if new_case else set(session.scalars(select(CaseRecord.record_id)
                                                        .where(CaseRecord.case_id == case.id)))
    session.add_all(CaseRecord(case_id=case.id, record_id=r.id) for r in records if r.id not in linked)
    case.record_regimes = regimes_text(_split(case.record_regimes) + [r.regime for r in records])


def refresh_for_record(session: Session, record: CreditRecord) -> None:
    """After the record's regime changed: its cases' regimes again from all their records."""
    cases = session.scalars(select(Case).join(CaseRecord, CaseRecord.case_id == Case.id)
                            .where(CaseRecord.record_id == record.id))
    for case in list(cases):
        others = session.scalars(select(CreditRecord.regime).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
                                 .where(CaseRecord.case_id == case.id, CreditRecord.id != record.id))
        case.record_regimes = regimes_text([*others, record.regime])


def _split(text: str | None) -> list[str]:
    return (text or "").split()
