"""`credit-cases check-integrity`: is the stored state whole (workflows/archive/integrity.py)?"""
from __future__ import annotations

import sys

import click

from workflows.archive.integrity import check_integrity

from .context import CommandContext, pass_context


@click.command("check-integrity")
@click.option("--limit", default=50, show_default=True, help="problems printed at most")
@pass_context
def check_integrity_command(context: CommandContext, limit: int) -> None:
    """Check cases against their tasks, events and letters; letter numbers; archived PDFs.

    Exit 0 when everything is whole, 1 with the problems listed otherwise (read-only)."""
    runtime = context.runtime
    report = check_integrity(runtime.store, runtime.specs, runtime.engine.serializer, runtime.clock.now())
    for problem in report.problems[:limit]:
        click.echo(str(problem))
    if len(report.problems) > limit:
        click.echo(f"… 另有 {len(report.problems) - limit} 个问题未列出")
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)
