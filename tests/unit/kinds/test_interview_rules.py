"""The interview's figures are DMN rows by date (bpmn/rules/interview_rules.dmn), not Python."""
from __future__ import annotations

from datetime import date

import pytest

from workflows.core.config import DEFAULT_BPMN_DIR
from workflows.engine.rules import NoRuleMatched, RuleBook
from workflows.kinds.interview import actions
from workflows.kinds.interview.actions import _months_later


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return RuleBook.from_directory(DEFAULT_BPMN_DIR)


@pytest.mark.parametrize("day", ["2019-07-01", "2023-05-01", "2025-06-22", "2026-04-01", "2099-12-31"])
def test_shipped_figures_hold_from_2019(rules, day) -> None:
    verdict = rules.decide("interview_rules", decision_date=day)
    assert (verdict["max_reschedules"], verdict["repair_bar_months"]) == (1, 12)
    assert "移出重点关注名单" in verdict["removal_conditions"]


def test_no_rule_before_the_first_regime(rules) -> None:
    with pytest.raises(NoRuleMatched):
        rules.decide("interview_rules", decision_date="2019-06-30")


def test_key_attention_statement_period_and_remedies(rules) -> None:
    assert rules.decide("due_process", burden="key_attention", notice_date="2026-10-15") == {
        "statement_days": 5, "reconsideration_days": 60, "lawsuit_months": 6}


def test_no_reschedule_constant_left_in_python() -> None:
    assert not hasattr(actions, "MAX_RESCHEDULES")


@pytest.mark.parametrize(("day", "months", "until"), [
    (date(2026, 9, 30), 12, date(2027, 9, 30)), (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 11, 30), 3, date(2028, 2, 29))])
def test_the_bar_ends_the_same_day_months_later(day, months, until) -> None:
    assert _months_later(day, months) == until
