"""Decision tables outside a workflow: the RuleBook, the regime and publicity-period tables."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workflows.records import add_months, publicity_for
from workflows.engine.rules import NoRuleMatched, RuleBook, RuleError
from workflows.engine.specs import SpecBundle, SpecLibrary

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
RULE_FILES = ("rules/regime.dmn", "rules/publicity_period.dmn")
DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def dmn(decision_id: str, hit_policy: str, rules: str, *, extra_decision: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{DMN_NS}" id="d_{decision_id}" name="t" namespace="http://test">
  <decision id="{decision_id}" name="t">
    <decisionTable id="t_{decision_id}" hitPolicy="{hit_policy}">
      <input id="i_{decision_id}" label="score">
        <inputExpression id="ie_{decision_id}" typeRef="integer"><text>score</text></inputExpression>
      </input>
      <output id="o_{decision_id}" label="band" name="band" typeRef="string" />
      {rules}
    </decisionTable>
  </decision>{extra_decision}
</definitions>"""


def rule(rule_id: str, test: str, band: str) -> str:
    return (f'<rule id="{rule_id}"><inputEntry id="{rule_id}_i"><text>{test}</text></inputEntry>'
            f'<outputEntry id="{rule_id}_o"><text>"{band}"</text></outputEntry></rule>')


BANDS = rule("low", "? &lt; 10", "low") + rule("mid", "10 &lt;= ? &lt;= 20", "mid") + rule("any", "-", "any")


class Files:
    def __init__(self, set_id: str, files: dict[str, str]) -> None:
        self.id, self.files = set_id, files


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    files = {name: (BPMN_DIR / name).read_text(encoding="utf-8") for name in RULE_FILES}
    return RuleBook(SpecBundle.parse(files))


def test_unique_returns_first_match_and_collect_returns_lists():
    book = RuleBook(Files("t-hit", {"u.dmn": dmn("bands", "UNIQUE", BANDS),
                                    "c.dmn": dmn("all_bands", "COLLECT", BANDS)}))
    assert book.decide("bands", score=5) == {"band": "low"}
    assert book.decide("bands", score=15) == {"band": "mid"}
    assert book.decide("bands", score=99) == {"band": "any"}
    assert book.decide("all_bands", score=15) == {"band": ["mid", "any"]}
    assert book.decide("all_bands", score=15) == {"band": ["mid", "any"]}  # memoised, same answer


def test_no_match_and_unknown_decision_are_clear_errors():
    book = RuleBook(Files("t-errors", {"u.dmn": dmn("strict", "UNIQUE", rule("r1", "? &lt; 10", "low"))}))
    with pytest.raises(NoRuleMatched) as no_match:
        book.decide("strict", score=50)
    assert "strict" in no_match.value.message and "score=50" in no_match.value.message
    with pytest.raises(RuleError) as unknown:
        book.decide("missing")
    assert "missing" in unknown.value.message and "strict" in unknown.value.message
    with pytest.raises(RuleError):
        book.decide("strict")  # input not given


def test_a_file_with_two_decisions_serves_both():
    second = """
  <decision id="second" name="t2">
    <decisionTable id="t_second" hitPolicy="UNIQUE">
      <input id="i_second" label="score"><inputExpression id="ie_second" typeRef="integer"><text>score</text></inputExpression></input>
      <output id="o_second" label="double" name="double" typeRef="integer" />
      <rule id="s1"><inputEntry id="s1_i"><text>-</text></inputEntry><outputEntry id="s1_o"><text>score * 2</text></outputEntry></rule>
    </decisionTable>
  </decision>"""
    book = RuleBook(Files("t-two", {"two.dmn": dmn("first", "UNIQUE", BANDS, extra_decision=second)}))
    assert book.decide("first", score=1) == {"band": "low"}
    assert book.decide("second", score=21) == {"double": 42}


def test_tables_are_parsed_once_per_spec_set():
    files = {"u.dmn": dmn("cached", "UNIQUE", BANDS)}
    first, second = RuleBook(Files("t-cache", files)), RuleBook(Files("t-cache", files))
    assert first._set is second._set
    assert RuleBook(Files("t-cache-2", files))._set is not first._set


@pytest.mark.parametrize(("day", "regime"), [
    ("2018-12-31", "527"), ("2019-07-01", "527"), ("2023-04-30", "527"), ("2023-05-01", "order58"),
    ("2025-06-21", "order58"), ("2025-06-22", "gb22"), ("2026-03-31", "gb22"), ("2026-04-01", "order36"),
    (date(2030, 1, 1), "order36"),
])
def test_regime_boundaries(rules, day, regime):
    result = rules.decide("regime_for_date", decision_date=day)
    assert result["regime"] == regime and result["regime_name"]


def test_regime_names_cite_the_documents(rules):
    assert rules.decide("regime_for_date", decision_date="2020-01-01")["regime_name"] == "发改办财金〔2019〕527号"
    assert "第36号" in rules.decide("regime_for_date", decision_date="2026-04-01")["regime_name"]


@pytest.mark.parametrize(("decided", "severity", "sector", "window"), [
    # 527: minor counts as general; serious 6 months / 3 years
    ("2022-03-15", "minor", "", ("2022-06-15", "2023-03-15")),
    ("2022-03-15", "general", "", ("2022-06-15", "2023-03-15")),
    ("2022-03-15", "serious", "", ("2022-09-15", "2025-03-15")),
    # Order 58: minor not published; general and serious 3 months / 3 years; special sectors 1 year
    ("2024-01-31", "minor", "", None),
    ("2024-01-31", "general", "", ("2024-04-30", "2027-01-31")),
    ("2024-01-31", "serious", "", ("2024-04-30", "2027-01-31")),
    ("2024-01-31", "serious", "special_equipment", ("2025-01-31", "2027-01-31")),
    ("2024-01-31", "serious", "work_safety", ("2025-01-31", "2027-01-31")),
    ("2024-01-31", "serious", "fire", ("2025-01-31", "2027-01-31")),
    ("2024-01-31", "general", "fire", ("2024-04-30", "2027-01-31")),
    # 22号 and Order 36: minor not published; general 3 months / 1 year; serious 1 / 3 years
    ("2025-08-01", "minor", "", None),
    ("2025-08-01", "general", "", ("2025-11-01", "2026-08-01")),
    ("2025-08-01", "serious", "", ("2026-08-01", "2028-08-01")),
    ("2026-05-10", "minor", "", None),
    ("2026-05-10", "general", "", ("2026-08-10", "2027-05-10")),
    ("2026-05-10", "serious", "fire", ("2027-05-10", "2029-05-10")),
])
def test_publicity_windows_by_regime_and_severity(rules, decided, severity, sector, window):
    publicity = publicity_for(rules, date.fromisoformat(decided), "penalty", severity, sector)
    if window is None:
        assert (publicity.published, publicity.start, publicity.max_end) == (False, None, None)
        assert publicity.status(date(2026, 9, 30)) == "not_published"
    else:
        assert publicity.published and publicity.start == date.fromisoformat(decided)
        assert (publicity.min_end.isoformat(), publicity.max_end.isoformat()) == window


def test_list_entries_breach_and_interview_defaults(rules):
    day = date(2026, 5, 1)
    for kind in ("serious_list", "key_attention"):
        listed = publicity_for(rules, day, kind, "serious")
        assert (listed.min_end, listed.max_end) == (date(2027, 5, 1), date(2029, 5, 1))
    breach = publicity_for(rules, day, "breach", "general")
    assert (breach.min_end, breach.max_end) == (date(2026, 8, 1), date(2027, 5, 1))
    assert not publicity_for(rules, day, "interview_record", "general").published
    with pytest.raises(NoRuleMatched):
        publicity_for(rules, day, "unknown_kind", "general")


def test_every_table_has_the_regime_as_an_input_column(rules):
    assert "decision_date" in (BPMN_DIR / "rules/regime.dmn").read_text(encoding="utf-8")
    assert "<text>regime</text>" in (BPMN_DIR / "rules/publicity_period.dmn").read_text(encoding="utf-8")


def test_status_follows_the_maximum_period(rules):
    publicity = publicity_for(rules, date(2025, 8, 1), "penalty", "general")
    assert publicity.status(date(2026, 7, 31)) == "public"
    assert publicity.status(date(2026, 8, 1)) == "expired"


def test_calendar_month_arithmetic():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert add_months(date(2025, 5, 31), 36) == date(2028, 5, 31)


def test_the_whole_bpmn_directory_still_parses():
    library = SpecLibrary(BPMN_DIR)
    book = RuleBook(library.current)
    assert {"regime_for_date", "publicity_period"} <= set(book.decision_ids)
    assert book.decide("regime_for_date", decision_date="2024-01-01")["regime"] == "order58"
