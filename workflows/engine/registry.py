"""What the engine runs for each case kind: actions, task-data validators, gateway predicates.

The engine knows no case kind. The runtime builds one `KindRegistry` from the list of
kinds (`workflows.kinds.KINDS`) and hands it to the engine, so what a BPMN file may call
is declared in one place and nothing registers itself as a side effect of an import.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

Action = Callable[..., Any]  # (StepContext, **service-task parameters) -> JSON-able result
Validator = Callable[[dict[str, Any]], dict[str, Any]]  # submitted task data -> clean data
Predicate = Callable[..., bool]


def action(operator: str) -> Callable[[Action], Action]:
    """Mark `fn` as the action for service tasks whose operator id is `operator` (no registration)."""
    def mark(fn: Action) -> Action:
        fn.operator = operator  # type: ignore[attr-defined]
        return fn
    return mark


def task_data(bpmn_id: str) -> Callable[[Validator], Validator]:
    """Mark `fn` as the validator of the data a person submits with user task `bpmn_id`."""
    def mark(fn: Validator) -> Validator:
        fn.task = bpmn_id  # type: ignore[attr-defined]
        return fn
    return mark


def actions_in(*modules: ModuleType) -> dict[str, Action]:
    """The marked actions of `modules`, by operator id."""
    return _marked(modules, "operator")


def task_data_in(*modules: ModuleType) -> dict[str, Validator]:
    """The marked validators of `modules`, by user-task id."""
    return _marked(modules, "task")


@dataclass(frozen=True)
class CaseKind:
    """One case kind as the engine sees it; `key` is its BPMN process id."""

    key: str
    label: str
    actions: Mapping[str, Action] = field(default_factory=dict)
    task_data: Mapping[str, Validator] = field(default_factory=dict)
    predicates: Mapping[str, Predicate] = field(default_factory=dict)
    messages: frozenset[str] = frozenset()  # what a party may send the running flow (withdraw, …)
    file: Callable[..., Any] | None = None  # (engine, actor, subject_code, form, describe=None) -> Case


@dataclass
class KindRegistry:
    actions: dict[str, Action] = field(default_factory=dict)
    validators: dict[tuple[str, str], Validator] = field(default_factory=dict)
    predicates: dict[str, Predicate] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    messages: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, kinds: Iterable[CaseKind], shared: CaseKind | None = None) -> "KindRegistry":
        """`shared` holds what every kind may call (SLA escalation, common predicates)."""
        registry = cls()
        for kind in ([shared] if shared else []) + list(kinds):
            registry.add(kind, is_kind=kind is not shared)
        return registry

    def add(self, kind: CaseKind, is_kind: bool = True) -> None:
        _merge(self.actions, kind.actions, "action")
        _merge(self.predicates, kind.predicates, "predicate")
        _merge(self.validators, {(kind.key, task): fn for task, fn in kind.task_data.items()}, "task data check")
        if is_kind:
            self.labels[kind.key] = kind.label
            self.messages[kind.key] = kind.messages

    def action(self, operator: str) -> Action:
        try:
            return self.actions[operator]
        except KeyError:
            raise LookupError(f"no action registered as {operator!r}") from None

    def accepts(self, kind: str, message: str) -> bool:
        """Whether a party may send `message` to a running case of `kind` (its flow waits for it)."""
        return message in self.messages.get(kind, frozenset())

    def validator(self, process_id: str, bpmn_id: str) -> Validator | None:
        return self.validators.get((process_id, bpmn_id))


def _merge(target: dict, new: Mapping, what: str) -> None:
    for name, fn in new.items():
        if name in target and target[name] is not fn:
            raise ValueError(f"{what} {name!r} declared twice")
        target[name] = fn


def _marked(modules: Iterable[ModuleType], attribute: str) -> dict[str, Callable]:
    found: dict[str, Callable] = {}
    for module in modules:
        for value in vars(module).values():
            name = getattr(value, attribute, None)
            if callable(value) and isinstance(name, str) and getattr(value, "__module__", None) == module.__name__:
                _merge(found, {name: value}, attribute)
    return found
