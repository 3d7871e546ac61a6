"""Every decision table is valid under its hit policy over its whole input domain (issue 14 §4).

SpiffWorkflow evaluates UNIQUE as "first match"; a table whose rules overlap then depends on row
order, which standard DMN tools reject. Here each UNIQUE table must match exactly one rule for
every combination of its domain (tests/unit/rules/domains.py) that it must decide, and never two.
COLLECT tables may match any number. Every file declares its cells' expression language.
"""
from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from lxml import etree

from tests.unit.rules.domains import DOMAINS, Boundaries, Domain
from workflows.core.config import DEFAULT_BPMN_DIR
from workflows.engine.rules import RuleBook

RULES_DIR = DEFAULT_BPMN_DIR / "rules"
DMN_FILES = sorted(RULES_DIR.glob("*.dmn"))
PYTHON = "python"
BOOK = RuleBook.from_directory(RULES_DIR)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
INTEGER = re.compile(r"(?<![\w.\"'-])-?\d+(?![\w.\"'-])")


def _decisions(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return [d.get("id") for d in root if etree.QName(d).localname == "decision"]


ALL_DECISIONS = sorted(d for path in DMN_FILES for d in _decisions(path))


@pytest.mark.parametrize("path", DMN_FILES, ids=lambda p: p.name)
def test_file_declares_python_cells(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    assert root.get("expressionLanguage") == PYTHON, (
        f"{path.name}: set expressionLanguage=\"{PYTHON}\" on <definitions> (cells are Python expressions)")


def test_every_decision_has_a_domain() -> None:
    missing = sorted(set(ALL_DECISIONS) - set(DOMAINS))
    assert not missing, f"declare the input domain of {missing} in tests/unit/rules/domains.py"
    stale = sorted(set(DOMAINS) - set(ALL_DECISIONS))
    assert not stale, f"tests/unit/rules/domains.py names decisions no DMN file has: {stale}"


@pytest.mark.parametrize("decision_id", ALL_DECISIONS)
def test_table_has_no_overlap_and_no_gap(decision_id: str) -> None:
    domain = DOMAINS.get(decision_id)
    if domain is None:
        pytest.fail(f"no domain declared for {decision_id} in tests/unit/rules/domains.py")
    unique = BOOK.hit_policy(decision_id) == "UNIQUE"
    overlaps, gaps, combinations = [], [], 0
    for combination in _combinations(decision_id, domain):
        combinations += 1
        matched = BOOK.matching_rules(decision_id, **combination)
        if unique and len(matched) > 1:
            overlaps.append((combination, matched))
        if not matched and domain.must_decide(combination):
            gaps.append(combination)
    assert combinations > 0
    assert not overlaps, (f"{decision_id}: {len(overlaps)} of {combinations} combinations match several rules, "
                          f"e.g. {overlaps[:3]}")
    assert not gaps, f"{decision_id}: {len(gaps)} of {combinations} combinations match no rule, e.g. {gaps[:3]}"


def test_boundaries_come_from_the_cells() -> None:
    """The cut-over dates of regime_for_date are enumerated with their neighbours."""
    values = _values("regime_for_date", "decision_date", DOMAINS["regime_for_date"].inputs["decision_date"])
    assert {"2023-04-30", "2023-05-01", "2025-06-21", "2025-06-22", "2026-03-31", "2026-04-01"} <= set(values)


def _combinations(decision_id: str, domain: Domain):
    names = list(domain.inputs)
    columns = [_values(decision_id, name, domain.inputs[name]) for name in names]
    for values in itertools.product(*columns):
        yield dict(zip(names, values))


def _values(decision_id: str, variable: str, spec) -> tuple:
    if not isinstance(spec, Boundaries):
        return tuple(spec)
    cells = _cells_of(decision_id, variable)
    found: set = set(spec.extra)
    if spec.kind == "date":
        for cell in cells:
            for text in ISO_DAY.findall(cell):
                day = date.fromisoformat(text)
                found |= {(day + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}
    else:
        for cell in cells:
            for text in INTEGER.findall(ISO_DAY.sub("", cell)):
                found |= {int(text) + d for d in (-1, 0, 1)}
        found = {n for n in found if n >= 0}
    return tuple(sorted(found))


def _cells_of(decision_id: str, variable: str) -> list[str]:
    table, _filename = BOOK._set.table(decision_id)  # noqa: SLF001 - the parsed table, read-only
    reads = re.compile(rf"\b{re.escape(variable)}\b")
    columns = [i for i, column in enumerate(table.inputs) if reads.search(column.expression or "")]
    cells = []
    for rule in table.rules:
        for i in columns:
            cells.extend(lhs for lhs in rule.inputEntries[i].lhs if lhs)
    return cells
