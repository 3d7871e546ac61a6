"""Each kind's declaration (workflows/kinds KINDS) agrees with its BPMN file: every service
task has an action, every task-data check names a user task, every party message is one the
flow catches — so a declaration cannot drift from the flow the law prescribes."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workflows.kinds import KINDS, kind_registry

BPMN = Path(__file__).resolve().parents[3] / "bpmn"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}


def flow(kind: str) -> ET.Element:
    return ET.parse(BPMN / f"{kind}.bpmn").getroot()


def operators(root: ET.Element) -> set[str]:
    return {op.get("id") for op in root.iter(f"{{{NS['spiffworkflow']}}}serviceTaskOperator")}


def user_tasks(root: ET.Element) -> set[str]:
    return {task.get("id") for task in root.iter(f"{{{NS['bpmn']}}}userTask")}


def caught_names(root: ET.Element) -> set[str]:
    return {e.get("name") for tag in ("message", "signal") for e in root.iter(f"{{{NS['bpmn']}}}{tag}")}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_service_task_of_the_flow_has_an_action(kind):
    missing = operators(flow(kind.key)) - set(kind_registry().actions)
    assert not missing, f"{kind.key}.bpmn calls undeclared actions: {sorted(missing)}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_task_data_checks_name_user_tasks_of_the_flow(kind):
    assert kind.task_data, f"{kind.key} declares no task-data checks"
    assert set(kind.task_data) <= user_tasks(flow(kind.key))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_party_messages_are_caught_by_the_flow(kind):
    assert kind.messages and kind.messages <= caught_names(flow(kind.key))


def test_each_kind_declares_its_own_actions():
    """Actions are prefixed by their kind, so two kinds never fight over an operator id."""
    for kind in KINDS:
        assert all(name.startswith(f"{kind.key}_") for name in kind.actions), kind.key


def test_the_registry_refuses_a_name_declared_twice():
    from workflows.engine.registry import CaseKind, KindRegistry
    one = CaseKind("a", "A", predicates={"same": lambda: True})
    other = CaseKind("b", "B", predicates={"same": lambda: False})
    with pytest.raises(ValueError, match="declared twice"):
        KindRegistry.of([one, other])
