"""Non-repairable by category (DOMAIN.md §B, issue 14 §2): the record's category of misconduct,
judged by DMN record_repairability under its regime when the record is written (API, form,
correction, import); the manual tick stays. SQLite and PostgreSQL."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support.records import create
from workflows.core.errors import InvalidInput
from workflows.core.models.records import CreditRecord
from workflows.records import amend_record
from workflows.records.imports import import_records
from workflows.records.publicity import repairability_for
from workflows.records.validation import MISCONDUCT_NAMES, SECTOR_NAMES

REGIMES = ("527", "order58", "gb22", "order36")
SPECIAL = {"food", "drugs", "environment", "work_safety", "fire"}


def expected(regime: str, category: str, sector: str) -> bool:
    if regime == "527":
        return category == "licence_revoked" and sector in SPECIAL
    if regime == "order36":
        return category in ("telecom_fraud", "illegal_fundraising")
    return False


@pytest.mark.parametrize("regime", REGIMES)
def test_the_table_answers_every_combination(rules, regime):
    for category in ("", *MISCONDUCT_NAMES):
        for sector in ("", *SECTOR_NAMES, "other_sector"):
            blocked, reason = repairability_for(rules, regime, category, sector)
            assert blocked is expected(regime, category, sector), (regime, category, sector)
            assert bool(reason) is blocked


def _record(store, record_id) -> CreditRecord:
    with store.read() as session:
        return session.get(CreditRecord, record_id)


def test_527_licence_revocation_in_food_cannot_be_repaired(store, rules, clock):
    record_id = create(store, rules, clock, decision_date="2023-03-01", severity="serious", sector="food",
                       misconduct_category="吊销许可证照")  # the Chinese name is accepted too
    record = _record(store, record_id)
    assert (record.regime, record.misconduct_category, record.category_non_repairable) == ("527", "licence_revoked", True)
    assert "527号" in record.non_repairable_reason and record.non_repairable is False  # the manual tick is apart


def test_order36_harm_that_cannot_be_undone(store, rules, clock):
    blocked = create(store, rules, clock, misconduct_category="telecom_fraud")
    other = create(store, rules, clock, decision_no="泉市监罚〔2026〕13号", misconduct_category="licence_revoked",
                   sector="food")
    assert _record(store, blocked).category_non_repairable is True
    assert "令2025年第36号" in _record(store, blocked).non_repairable_reason
    assert _record(store, other).category_non_repairable is False  # Order 36 does not bar licence cases


def test_a_correction_of_the_category_judges_again(store, rules, clock):
    record_id = create(store, rules, clock)
    with store.write() as uow:
        record = uow.session.get(CreditRecord, record_id)
        amend_record(uow.session, record, {"misconduct_category": "illegal_fundraising"}, "dept1", clock.now(),
                     reason="类别更正", rules=rules)
        uow.commit()
    assert _record(store, record_id).category_non_repairable is True


def test_an_unknown_category_is_refused_naming_the_field(store, rules, clock):
    with pytest.raises(InvalidInput) as refused:
        create(store, rules, clock, misconduct_category="arson")
    assert "misconduct_category" in refused.value.fields and "吊销许可证照" in refused.value.fields["misconduct_category"]


def test_the_import_takes_the_category_column(store, rules, clock, tmp_path: Path):
    header = ["行政相对人名称", "统一社会信用代码", "处罚决定书文号", "处罚内容", "处罚决定日期", "处罚机关",
              "处罚机关统一社会信用代码", "违法事实", "处罚依据", "严重程度", "行业领域", "失信行为类别"]
    common = ["泉州市清源食品有限公司", "91350100M000100Y43"]
    tail = ["泉州市市场监督管理局", "11350500MB0000001X", "违法事实", "处罚依据"]
    rows = [common + ["泉市监罚〔2023〕7号", "吊销食品经营许可证", "2023-03-01"] + tail + ["严重", "食品", "吊销许可证照"],
            common + ["泉市监罚〔2026〕8号", "罚款", "2026-05-10"] + tail + ["一般", "", ""]]
    path = tmp_path / "records.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    with store.write() as uow:
        report = import_records(uow.session, rules, path, "importer", clock.now())
        assert report.imported == 2, report.errors
        uow.commit()
    with store.read() as session:
        flags = dict(session.execute(select(CreditRecord.decision_no, CreditRecord.category_non_repairable)).all())
    assert flags == {"泉市监罚〔2023〕7号": True, "泉市监罚〔2026〕8号": False}
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, common + ["泉市监罚〔2026〕9号", "罚款", "2026-05-10"] + tail
                                      + ["一般", "", "纵火"]])
    with store.write() as uow:
        report = import_records(uow.session, rules, bad, "importer", clock.now())
    assert report.imported == 0
    assert [(e.column, e.message) for e in report.errors] == [
        ("失信行为类别", "失信行为类别应为：吊销许可证照、电信网络诈骗、非法集资（或不填）")]
