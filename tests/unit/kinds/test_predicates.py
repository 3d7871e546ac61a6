"""Named gateway predicates: each one's truth table, and every BPMN condition calls one of them.

The flows stay readable only if a condition is `is_accepted(decision)`, never a comparison with
a magic string; the parse below keeps it that way.
"""
from __future__ import annotations

import ast
import inspect
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workflows.kinds.commitment import vocabulary as commitment
from workflows.kinds.common import predicates as common
from workflows.kinds.interview import vocabulary as interview
from workflows.kinds.objection import vocabulary as objection
from workflows.kinds.repair import vocabulary as repair

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
MODULES = (common, repair, objection, commitment, interview)

Predicate = Callable[..., bool]


def union_of_predicates() -> dict[str, Predicate]:
    """All kinds' predicates in one namespace, as the script engine sees them."""
    merged: dict[str, Predicate] = {}
    for module in MODULES:
        for name, function in module.PREDICATES.items():
            assert merged.get(name, function) is function, f"{name} is defined twice ({module.__name__})"
            merged[name] = function
    return merged


def bpmn_conditions() -> list[tuple[str, str, str]]:
    """(file, sequence flow id, condition text) for every condition in the product flows."""
    found = []
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        for flow in ET.parse(path).getroot().iterfind(".//bpmn:sequenceFlow", BPMN_NS):
            condition = flow.find("bpmn:conditionExpression", BPMN_NS)
            if condition is not None:
                found.append((path.name, flow.get("id", "?"), (condition.text or "").strip()))
    return found


CASES: list[tuple[Predicate, Any, bool]] = [
    (common.is_approved, "approve", True), (common.is_approved, "reject", False),
    (common.is_approved, None, False),
    (common.needs_supplement, "supplement", True), (common.needs_supplement, "approve", False),
    (common.is_accepted, "accept", True), (common.is_accepted, "reject", False),
    (common.is_accepted, None, False),
    (common.is_eligible, {"eligible": True, "records": []}, True),
    (common.is_eligible, {"eligible": False}, False), (common.is_eligible, {}, False),
    (common.is_eligible, None, False),
    (repair.training_requirement_met, True, True), (repair.training_requirement_met, False, False),
    (repair.training_requirement_met, None, False),
    (repair.is_department_procedure, "department", True), (repair.is_department_procedure, "office", False),
    (repair.is_department_procedure, None, False),
    (repair.returns_to_department, "department_decision", True), (repair.returns_to_department, "first_review", False),
    (repair.returns_to_department, None, False),
    (objection.is_correction, "correct", True), (objection.is_correction, "revoke", False),
    (objection.is_correction, "uphold", False),
    (objection.is_revocation, "revoke", True), (objection.is_revocation, "correct", False),
    (objection.is_revocation, "uphold", False),
    (commitment.is_deficiency_acceptance, "deficiency_acceptance", True),
    (commitment.is_deficiency_acceptance, "approval_substitute", False),
    (commitment.is_fully_fulfilled, "full", True), (commitment.is_fully_fulfilled, "partial", False),
    (commitment.is_fully_fulfilled, "false", False), (commitment.is_fully_fulfilled, "none", False),
    (commitment.is_repair_commitment, "repair", True), (commitment.is_repair_commitment, None, False),
    (commitment.is_breach_confirmed, "confirm", True), (commitment.is_breach_confirmed, "drop", False),
    (commitment.is_breach_confirmed, None, False),
    (interview.attended_interview, True, True), (interview.attended_interview, False, False),
    (interview.attended_interview, None, False),
    (interview.has_rectified, True, True), (interview.has_rectified, False, False),
    (interview.has_rectified, None, False),
    (interview.had_justified_reason, True, True), (interview.had_justified_reason, False, False),
    (interview.had_justified_reason, None, False),
    (interview.is_listing_proposed, True, True), (interview.is_listing_proposed, None, False),
    (interview.decides_to_list, "list", True), (interview.decides_to_list, "not_list", False),
    (interview.decides_to_list, None, False),
]


@pytest.mark.parametrize(("predicate", "value", "expected"), CASES,
                         ids=[f"{p.__name__}-{v!r}" for p, v, _ in CASES])
def test_predicate_truth_table(predicate: Predicate, value: Any, expected: bool) -> None:
    assert predicate(value) is expected


def test_every_predicate_has_a_true_and_a_false_case() -> None:
    covered = {(p.__name__, expected) for p, _, expected in CASES}
    for name in union_of_predicates():
        assert {(name, True), (name, False)} <= covered, name


def test_predicates_are_typed_functions_named_as_registered() -> None:
    for name, function in union_of_predicates().items():
        assert inspect.isfunction(function) and function.__name__ == name, name
        signature = inspect.signature(function)
        assert signature.return_annotation in (bool, "bool"), name
        assert all(p.annotation is not p.empty for p in signature.parameters.values()), name


def test_every_bpmn_condition_calls_one_named_predicate() -> None:
    known = union_of_predicates()
    conditions = bpmn_conditions()
    assert conditions, f"no conditions found under {BPMN_DIR}"
    for file, flow_id, text in conditions:
        where = f"{file} {flow_id}: {text!r}"
        call = ast.parse(text, mode="eval").body
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name), f"not a call: {where}"
        assert not call.keywords and all(isinstance(a, ast.Name) for a in call.args), \
            f"arguments must be task-data names: {where}"
        assert call.func.id in known, f"unknown predicate: {where}"


def test_every_predicate_is_used_by_a_flow() -> None:
    calls = [ast.parse(text, mode="eval").body for _, _, text in bpmn_conditions()]
    used = {call.func.id for call in calls if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)}
    assert set(union_of_predicates()) - used == set()
