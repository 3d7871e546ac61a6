"""The functions BPMN scripts, conditions, timers and DMN cells may call.

They are exposed through SpiffWorkflow's `TaskDataEnvironment`. Timer expressions must
return an ISO-8601 string with an offset, so `deadline()` here returns a string; gateway
conditions are the kinds' named predicates (handed in by the runtime), so a flow reads
like its diagram.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from workflows.core.calendar import WorkingCalendar
from workflows.core.clock import Clock, to_local
from workflows.engine.registry import Action, Predicate
from workflows.engine.step import StepContext

current_step: ContextVar[StepContext | None] = ContextVar("credit_cases_step", default=None)


def helpers(calendar_provider: Callable[[], WorkingCalendar], clock: Clock) -> dict[str, Any]:
    """Date helpers bound to the admin-maintained calendar and the injected clock."""

    def deadline(received_at: str | datetime, days: int) -> str:
        return calendar_provider().deadline(received_at, int(days)).isoformat()

    def add_working_days(start: str | date, days: int) -> str:
        day = date.fromisoformat(start[:10]) if isinstance(start, str) else start
        return calendar_provider().add_working_days(day, int(days)).isoformat()

    def now() -> str:
        return to_local(clock.now()).isoformat()

    def today() -> str:
        return to_local(clock.now()).date().isoformat()

    return {"deadline": deadline, "add_working_days": add_working_days, "now": now, "today": today}


class CaseScriptEngine(PythonScriptEngine):
    """Routes service tasks to the kinds' actions, inside the current step's transaction."""

    def __init__(self, environment: TaskDataEnvironment, actions: dict[str, Action]) -> None:
        super().__init__(environment=environment)
        self.actions = actions

    def call_service(self, task, operation_name: str, operation_params: dict, **_: Any) -> str:
        ctx = current_step.get()
        if ctx is None:
            raise RuntimeError("service task executed outside an engine step")
        params = {name: spec["value"] for name, spec in operation_params.items()}
        ctx.task = task
        try:
            result = self._action(operation_name)(ctx, **params)
        finally:
            ctx.task = None
        return json.dumps(result, default=str, ensure_ascii=False)

    def _action(self, operator: str) -> Action:
        try:
            return self.actions[operator]
        except KeyError:
            raise LookupError(f"no action registered as {operator!r}") from None


def build_script_engine(calendar_provider: Callable[[], WorkingCalendar], clock: Clock,
                        actions: dict[str, Action] | None = None,
                        predicates: dict[str, Predicate] | None = None) -> CaseScriptEngine:
    """Scripts see the kinds' named predicates and the date helpers; service tasks, the actions."""
    env = {**(predicates or {}), **helpers(calendar_provider, clock)}
    return CaseScriptEngine(TaskDataEnvironment(env), actions if actions is not None else {})
