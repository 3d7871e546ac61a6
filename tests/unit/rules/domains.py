"""The input domain of every decision table in bpmn/rules/*.dmn (issue 14 §4).

`tests/unit/rules/test_tables.py` evaluates each table on every combination of these values and
fails when a UNIQUE table has two rules matching one combination (overlap) or none (gap), and
when a decision has no entry here. A helper adding a table adds its domain here:

    DOMAINS["my_table"] = Domain({"regime": REGIMES, "decision_date": DATES, "count": NUMBERS})

Keys are the task-data variables the table's input expressions read (`received_at` for
`received_at[:10]`). Categorical inputs list every value a caller can pass; `DATES` and `NUMBERS`
stand for boundary values taken from the table's own cells (each ISO date or integer found in the
input entries of a column reading that variable, ±1, plus far past/future or 0), so a new
cut-over row is checked without editing this file. `must_decide` says which combinations the
table must answer (default: all); a combination outside it may match no rule, never two.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workflows.kinds.commitment.templates import TYPES as COMMITMENT_TYPES
from workflows.kinds.commitment.vocabulary import FULFILMENTS
from workflows.kinds.interview.vocabulary import INTERVIEW_KINDS
from workflows.records.validation import MISCONDUCT_NAMES, PUBLIC_KINDS, SECTOR_NAMES, SEVERITIES, SYSTEM_KINDS


@dataclass(frozen=True)
class Boundaries:
    """Values derived from the table's cells: ISO dates (`kind="date"`) or integers."""

    kind: str
    extra: tuple[Any, ...] = ()


DATES = Boundaries("date", ("1990-01-01", "2099-12-31"))
NUMBERS = Boundaries("int", (0,))
BOOLEANS = (True, False)
REGIMES = ("527", "order58", "gb22", "order36")
RECORD_KINDS = PUBLIC_KINDS + SYSTEM_KINDS
SECTORS = ("",) + tuple(SECTOR_NAMES) + ("other",)
INTERVIEW_ESCALATIONS = ("absent", "not_rectified")
BURDENS = ("commitment_breach", "key_attention", "serious_list")
MATTERS = ("repair", "objection", "interview", "commitment_breach", "key_attention")
LETTER_ACTS = ("repair_acceptance", "repair_non_acceptance", "repair_supplement", "repair_commitment",
               "objection_acceptance", "objection_non_acceptance", "training_certificate", "repair_decision",
               "repair_refusal", "objection_outcome", "interview_notice", "interview_record",
               "key_attention_notice", "key_attention_decision", "commitment", "breach_notice", "breach_decision")


def _always(_combination: Mapping[str, Any]) -> bool:
    return True


def from_day(variable: str, first: str) -> Callable[[Mapping[str, Any]], bool]:
    """The table decides from `first` on (its rules state when they apply); earlier is a gap."""
    return lambda combination: str(combination[variable])[:10] >= first


RULES_START = "2019-07-01"  # the four tables that gained a date input in issue 14 apply from here


@dataclass(frozen=True)
class Domain:
    inputs: Mapping[str, tuple[Any, ...] | Boundaries]
    must_decide: Callable[[Mapping[str, Any]], bool] = field(default=_always)


DOMAINS: dict[str, Domain] = {
    "breach_consequence": Domain({"commitment_type": tuple(COMMITMENT_TYPES), "fulfilment": tuple(FULFILMENTS),
                                  "decision_date": DATES}, from_day("decision_date", RULES_START)),
    "commitment_exclusion": Domain({"is_notification_type": BOOLEANS, "has_serious_record": BOOLEANS,
                                    "has_false_commitment": BOOLEANS, "decision_date": DATES},
                                   from_day("decision_date", RULES_START)),
    "commitment_rules": Domain({"commitment_type": tuple(COMMITMENT_TYPES), "received_at": DATES},
                                from_day("received_at", RULES_START)),
    "due_process": Domain({"burden": BURDENS, "notice_date": DATES}),
    "legal_basis": Domain({"matter": MATTERS, "received_date": DATES}),
    "letter_issuer": Domain({"act": LETTER_ACTS, "received_date": DATES}),
    "interview_escalation": Domain({"interview_kind": tuple(INTERVIEW_KINDS), "reason": INTERVIEW_ESCALATIONS,
                                    "decision_date": DATES}, from_day("decision_date", RULES_START)),
    "interview_rules": Domain({"decision_date": DATES}, from_day("decision_date", RULES_START)),
    "objection_rules": Domain({"received_at": DATES}, from_day("received_at", RULES_START)),
    "procedure_deadlines": Domain({"received_at": DATES}),
    "publicity_period": Domain({"regime": REGIMES, "kind": RECORD_KINDS, "severity": SEVERITIES,
                                "sector": SECTORS}),
    "record_repairability": Domain({"regime": REGIMES, "misconduct_category": ("",) + tuple(MISCONDUCT_NAMES),
                                    "sector": SECTORS}),
    "regime_for_date": Domain({"decision_date": DATES}),
    "repair_repeat_windows": Domain({"judged_on": DATES}, from_day("judged_on", RULES_START)),
    "repair_documents": Domain({"regime": REGIMES, "severity": SEVERITIES}),
    "repair_procedure": Domain({"received_at": DATES}),
    "repair_eligibility": Domain({"regime": REGIMES, "kind": RECORD_KINDS, "non_repairable": BOOLEANS,
                                  "open_case": BOOLEANS, "refused_interview": BOOLEANS,
                                  "min_period_elapsed": BOOLEANS, "repairs_last_year": NUMBERS,
                                  "repairs_5y": NUMBERS}),
    "warning_thresholds": Domain({"scan_date": DATES}, from_day("scan_date", "2022-01-01")),
}
