"""Service-task actions: what a flow does to the world, registered by name.

A BPMN service task names an operator (`spiffworkflow:serviceTaskOperator id="..."`);
the script engine looks it up here and calls it with the step context and the evaluated
parameters. Actions run inside the step's transaction: if one raises, nothing of the
step is kept.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflows.engine.step import StepContext

Action = Callable[..., Any]
_REGISTRY: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    """Register `fn` as the action for service tasks whose operator id is `name`."""
    def register(fn: Action) -> Action:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"action {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn
    return register


def get_action(name: str) -> Action:
    _load_builtin_actions()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no action registered as {name!r}") from None


def registered() -> list[str]:
    _load_builtin_actions()
    return sorted(_REGISTRY)


def _load_builtin_actions() -> None:
    from workflows.kinds.commitment import actions as commitment  # noqa: F401  (register on import)
    from workflows.kinds.common import actions as core
    from workflows.kinds.interview import actions as interview
    from workflows.kinds.common import letter_actions as letters
    from workflows.kinds.objection import actions as objection
    from workflows.kinds.repair import actions as repair


__all__ = ["StepContext", "action", "get_action", "registered"]
