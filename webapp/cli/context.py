"""What every command receives: the runtime (settings, store, engine) and its clock.

Commands never build a clock or a store themselves, so a test (or a batch job replaying a
day) pins "now" once: `CliRunner().invoke(main, args, obj=CommandContext(clock=frozen))`.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import click

from workflows.background.letters import start_letter_workers
from workflows.background.notifications import start_courier
from workflows.core.clock import Clock, SystemClock
from workflows.core.errors import CaseError
from workflows.people.access import Actor
from workflows.runtime import Runtime, build_runtime

T = TypeVar("T")


class CommandContext:
    """Builds the runtime on first use (some commands, e.g. `deadline`, need no database)."""

    def __init__(self, clock: Clock | None = None, runtime: Runtime | None = None) -> None:
        self.clock: Clock = runtime.clock if runtime else (clock or SystemClock())
        self._runtime = runtime
        self._owned = runtime is None

    @property
    def runtime(self) -> Runtime:
        """Letters a command issues are rendered right after each commit, in this process
        (outside the transaction); `serve` swaps in its worker pool."""
        if self._runtime is None:
            self._runtime = build_runtime(clock=self.clock)
            start_letter_workers(self._runtime.store, self.clock, "inline")
            start_courier(self._runtime.store, self.clock, self._runtime.courier, "inline")
        return self._runtime

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def operator(self) -> Actor:
        """Who acts at the console: the credit office's operator (audited as `cli`)."""
        return self.operator_named("cli")

    @staticmethod
    def operator_named(username: str) -> Actor:
        return Actor(username, frozenset({"admin"}))

    def close(self) -> None:
        if self._owned and self._runtime is not None:
            self._runtime.close()
            self._runtime = None


pass_context = click.make_pass_decorator(CommandContext, ensure=True)


def guard(call: Callable[[], T]) -> T:
    """A domain refusal is an operator's mistake: print it in Chinese and exit 2."""
    try:
        return call()
    except CaseError as err:
        detail = "; ".join(f"{k}: {v}" for k, v in err.fields.items())
        click.echo(f"错误：{err.message}" + (f"（{detail}）" if detail else ""), err=True)
        sys.exit(2)
