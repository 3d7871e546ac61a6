"""Operator commands: schema, users, demo data, working-day calendar and deadlines."""
from __future__ import annotations

import click

from workflows.administration.calendar import list_overrides
from workflows.administration.clients import NewClient, create_client
from workflows.administration.departments import create_department
from workflows.core.calendar import WorkingCalendar
from workflows.core.config import load_settings
from workflows.core.db import printable_url
from workflows.core.migrate import upgrade
from workflows.people.clients import SCOPES
from workflows.people.demo import DEMO_PASSWORD, load_demo_data
from workflows.people.users import save_user

from .certificates import make_demo_keys
from .context import CommandContext, guard, pass_context


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema of the configured database."""
    settings = load_settings()
    upgrade(settings.database_url)
    click.echo(f"schema up to date: {printable_url(settings.database_url)}")


@click.command("create-department")
@click.argument("code")
@click.argument("name")
@pass_context
def create_department_command(context: CommandContext, code: str, name: str) -> None:
    """Register a department (code: a 11… USCC or the local scheme, e.g. QZ-SCJG)."""
    department = guard(lambda: create_department(context.runtime.store, context.operator, code, name,
                                                 context.now(), context.runtime.settings.department_code_pattern))
    click.echo(f"department {department.code} created: {department.name}")


@click.command("create-client")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, help=f"repeatable: {', '.join(SCOPES)}")
@click.option("--department", "department_code", default=None, help="the department it writes records for")
@click.option("--description", default="")
@pass_context
def create_client_command(context: CommandContext, name: str, scopes: tuple[str, ...], department_code: str | None,
                          description: str) -> None:
    """Create a system client and print its token, this once (only its sha256 is stored)."""
    spec = NewClient(name, scopes, description, department_code)
    issued = guard(lambda: create_client(context.runtime.store, context.operator, spec, context.now()))
    click.echo(f"client {issued.client.name} created with scopes {', '.join(sorted(issued.client.scope_set))}",
               err=True)
    click.echo("its token (shown only now; send it as 'Authorization: Bearer <token>'):", err=True)
    click.echo(issued.token)


@click.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="role key, repeatable")
@click.option("--password", required=True)
@click.option("--subject", "subject_code", default=None, help="subject code (applicants)")
@click.option("--department", "department_code", default=None, help="department code (officers)")
@click.option("--name", "display_name", default="")
@pass_context
def create_user_command(context: CommandContext, username: str, roles: tuple[str, ...], password: str,
                        subject_code: str | None, department_code: str | None, display_name: str) -> None:
    """Create a user (or reset an existing one's password and roles)."""
    guard(lambda: save_user(context.runtime.store, username, password, list(roles), context.now(),
                            subject_code=subject_code, department_code=department_code, display_name=display_name))
    click.echo(f"user {username} saved with roles {', '.join(roles)}")


@click.command()
@pass_context
def demo(context: CommandContext) -> None:
    """Load demo departments, subjects and users, and demo signing keys (idempotent)."""
    users = load_demo_data(context.runtime.store, context.now())
    click.echo(f"demo users: {', '.join(users)} (password {DEMO_PASSWORD})")
    made = make_demo_keys(context)
    if made:
        click.echo(f"demo signing keys (demo CA, not for production): {', '.join(made)}")


@click.command()
@click.argument("start")
@click.argument("days", type=int)
@pass_context
def deadline(context: CommandContext, start: str, days: int) -> None:
    """Print the due date of DAYS working days after START (DOMAIN.md §G).

    A due date counted through a year whose State Council notice is not entered yet is an
    estimate: a note on stderr says so (stdout stays the date alone, for scripts)."""
    calendar = _calendar(context)
    due = guard(lambda: calendar.deadline(start, days))
    click.echo(due.date().isoformat())
    unconfirmed = calendar.unconfirmed_years(start, due)
    if unconfirmed:
        years = "、".join(str(y) for y in unconfirmed)
        click.echo(f"暂定：{years}年的国务院放假安排尚未录入并确认，此日期按 holidays 估算（不含调休）；"
                   f"录入后用 `credit-cases calendar confirm YEAR` 确认", err=True)


@click.group()
def calendar() -> None:
    """Working-day overrides (for years the holidays package does not know yet)."""


@calendar.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--working/--holiday", required=True, help="make-up working day, or a rest day")
@click.option("--note", default="")
@click.option("--actor", default="cli")
@pass_context
def calendar_set(context: CommandContext, day, working: bool, note: str, actor: str) -> None:
    guard(lambda: context.runtime.calendar.set_override(day.date(), working, note, actor))
    click.echo(f"{day.date()} → {'上班' if working else '放假'}")


@calendar.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--actor", default="cli")
@pass_context
def calendar_remove(context: CommandContext, day, actor: str) -> None:
    removed = context.runtime.calendar.remove_override(day.date(), actor)
    click.echo("removed" if removed else "no override for that day")


@calendar.command("confirm")
@click.argument("year", type=int)
@click.option("--note", default="")
@click.option("--actor", default="cli")
@pass_context
def calendar_confirm(context: CommandContext, year: int, note: str, actor: str) -> None:
    """Confirm YEAR: its State Council holiday notice is entered; its deadlines stop being provisional."""
    guard(lambda: context.runtime.calendar.confirm_year(year, note, actor))
    click.echo(f"{year} confirmed")


@calendar.command("unconfirm")
@click.argument("year", type=int)
@click.option("--actor", default="cli")
@pass_context
def calendar_unconfirm(context: CommandContext, year: int, actor: str) -> None:
    removed = context.runtime.calendar.unconfirm_year(year, actor)
    click.echo(f"{year} is provisional again" if removed else f"{year} was not confirmed")


@calendar.command("list")
@pass_context
def calendar_list(context: CommandContext) -> None:
    for override in list_overrides(context.runtime.store):
        click.echo(f"{override.day.isoformat()}\t{'上班' if override.working else '放假'}")


def _calendar(context: CommandContext) -> WorkingCalendar:
    """The admin calendar; without a database (no schema yet) the package's calendar alone."""
    try:
        return context.runtime.calendar.get()
    except Exception:  # noqa: BLE001 - no database or no schema yet
        return WorkingCalendar({})
