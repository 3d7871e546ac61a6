"""Who issues which letter, the basis it cites and the statement period: tables, not code (DOMAIN.md §H, §I)."""
from __future__ import annotations

from pathlib import Path

import pytest

from workflows.engine.rules import RuleBook
from workflows.engine.specs import SpecBundle

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"


class Files:
    def __init__(self, set_id: str, files: dict[str, str]) -> None:
        self.id, self.files = set_id, files


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    files = {f"rules/{name}": (BPMN_DIR / "rules" / name).read_text(encoding="utf-8")
             for name in ("letter_issuer.dmn", "legal_basis.dmn", "due_process.dmn")}
    return RuleBook(SpecBundle.parse(files))


@pytest.mark.parametrize(("act", "received", "organ"), [
    ("repair_acceptance", "2026-09-30", "credit_office"),
    ("repair_non_acceptance", "2026-09-30", "credit_office"),
    ("repair_supplement", "2026-09-30", "credit_office"),
    ("repair_decision", "2025-06-21", "credit_office"),  # Order 58: the office decides
    ("repair_refusal", "2023-04-30", "credit_office"),  # 527
    ("repair_decision", "2025-06-22", "designating_department"),  # 国办发〔2025〕22号: 谁认定、谁修复
    ("repair_refusal", "2026-04-01", "designating_department"),  # Order 36
    ("objection_acceptance", "2026-09-30", "credit_office"),
    ("objection_non_acceptance", "2026-09-30", "credit_office"),
    ("objection_outcome", "2024-01-01", "designating_department"),
    ("interview_notice", "2020-01-01", "designating_department"),  # 谁认定、谁约谈
    ("interview_record", "2026-09-30", "designating_department"),
    ("breach_notice", "2026-09-30", "accepting_department"),
    ("commitment", "2026-09-30", "accepting_department"),
])
def test_each_letter_goes_out_in_the_deciding_organs_name(rules, act, received, organ):
    assert rules.decide("letter_issuer", act=act, received_date=received) == {"organ": organ}


@pytest.mark.parametrize(("received", "cited"), [
    ("2023-04-30", "发改办财金〔2019〕527号"), ("2023-05-01", "令2023年第58号"),
    ("2025-06-22", "国办发〔2025〕22号"), ("2026-03-31", "国办发〔2025〕22号"), ("2026-04-01", "令2025年第36号"),
])
def test_repair_letters_cite_the_regime_of_receipt(rules, received, cited):
    assert cited in rules.decide("legal_basis", matter="repair", received_date=received)["basis"]


def test_objection_letters_cite_order_36_only_for_cases_received_under_it(rules):
    assert "第36号" not in rules.decide("legal_basis", matter="objection", received_date="2025-09-01")["basis"]
    assert "第36号" in rules.decide("legal_basis", matter="objection", received_date="2026-04-01")["basis"]


def test_the_statement_period_and_remedies_come_from_the_table(rules):
    assert rules.decide("due_process", burden="commitment_breach", notice_date="2026-09-30") == {
        "statement_days": 5, "reconsideration_days": 60, "lawsuit_months": 6}


def test_a_case_started_before_a_table_existed_asks_the_current_tables(rules):
    """A running case keeps its own spec set; a decision its set predates comes from the current set."""
    old = RuleBook(Files("t-old-set", {"rules/regime.dmn": (BPMN_DIR / "rules" / "regime.dmn").read_text("utf-8")}),
                   newer=rules)
    assert old.decide("letter_issuer", act="interview_notice", received_date="2026-09-30") == {
        "organ": "designating_department"}
    assert old.decide("regime_for_date", decision_date="2026-09-30")["regime"] == "order36"
