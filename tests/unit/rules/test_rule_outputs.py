"""Figures moved out of Python into the tables (issue 14 §4): read through RuleBook as callers do."""
from __future__ import annotations

from datetime import date

import pytest

from workflows.core.config import DEFAULT_BPMN_DIR
from workflows.engine.rules import NoRuleMatched, RuleBook
from workflows.kinds.commitment.templates import notification_types

BOOK = RuleBook.from_directory(DEFAULT_BPMN_DIR / "rules")
TODAY = date(2026, 9, 30)  # the tests' frozen day
ELIGIBLE = {"regime": "order36", "kind": "penalty", "non_repairable": False, "open_case": False,
            "refused_interview": False, "min_period_elapsed": True, "repairs_last_year": 0, "repairs_5y": 0}


def test_which_commitment_types_are_notification_commitments_is_a_rule() -> None:
    assert notification_types(BOOK, TODAY) == ("approval_substitute", "certification")


def test_repair_eligibility_says_how_long_to_wait_after_the_last_repair() -> None:
    repeat = BOOK.decide("repair_eligibility", **{**ELIGIBLE, "repairs_last_year": 1, "repairs_5y": 1})
    assert (repeat["reason_code"], repeat["wait_days"]) == ("repeat_within_year", 365)
    assert BOOK.decide("repair_eligibility", **ELIGIBLE)["wait_days"] == 0


def test_objection_rules_default_to_suspension_at_acceptance_without_extension() -> None:
    rules = BOOK.decide("objection_rules", received_at="2026-09-30T10:00:00+08:00")
    assert rules == {"suspension_starts": "acceptance", "uphold_extends_publicity": False}


@pytest.mark.parametrize("decision_id, inputs", [
    ("breach_consequence", {"commitment_type": "repair", "fulfilment": "none"}),
    ("commitment_exclusion", {"is_notification_type": True, "has_serious_record": False,
                              "has_false_commitment": False}),
    ("interview_escalation", {"interview_kind": "warning", "reason": "absent"}),
])
def test_tables_with_a_date_input_apply_from_their_stated_day(decision_id, inputs) -> None:
    assert BOOK.decide(decision_id, **inputs, decision_date=TODAY)
    with pytest.raises(NoRuleMatched):
        BOOK.decide(decision_id, **inputs, decision_date=date(2019, 6, 30))


def test_the_repeat_windows_are_a_rule() -> None:
    windows = BOOK.decide("repair_repeat_windows", judged_on=TODAY)
    assert windows == {"year_window_days": 365, "five_year_window_days": 1825}
