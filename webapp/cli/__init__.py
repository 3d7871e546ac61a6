"""`credit-cases`: the operator's command line (stable forms; scripts rely on them).

Every command takes the runtime, and so the clock, from `CommandContext`; none builds a
store or a `SystemClock` itself.
"""
from __future__ import annotations

import logging

import click

from .certificates import certificates
from .context import CommandContext
from .imports import import_commitments_command, import_records_command
from .integrity import check_integrity_command
from .letters import letter
from .operations import (
    calendar,
    create_client_command,
    create_department_command,
    create_user_command,
    db,
    deadline,
    demo,
)
from .service import scan_warnings_command, serve, tick


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """credit-cases — 公共信用案件办理系统"""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    context = ctx.ensure_object(CommandContext)
    ctx.call_on_close(context.close)


for command in (db, create_department_command, create_user_command, create_client_command, demo, deadline, calendar,
                tick, serve, scan_warnings_command, import_records_command, import_commitments_command, letter,
                check_integrity_command):
    main.add_command(command)
letter.add_command(certificates)

__all__ = ["CommandContext", "main"]
