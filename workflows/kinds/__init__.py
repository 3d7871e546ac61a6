"""The case kinds: the one list the runtime builds the engine's registry from.

Adding a kind: its BPMN under bpmn/, a folder here (filing.py, actions.py, tasks.py,
vocabulary.py, __init__.py declaring `KIND`), and one line below.
"""
from __future__ import annotations

from workflows.engine.registry import CaseKind, KindRegistry
from workflows.kinds import binding, commitment, common, interview, objection, repair

KINDS: tuple[CaseKind, ...] = (repair.KIND, objection.KIND, commitment.KIND, interview.KIND, binding.KIND)


def kind_registry() -> KindRegistry:
    """Every kind's actions, task forms and predicates, plus what all kinds share."""
    return KindRegistry.of(KINDS, shared=common.SHARED)
