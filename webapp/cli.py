"""`credit-cases`: the operator's command line (stable forms; scripts rely on them)."""
from __future__ import annotations

import json
import logging
import sys
from datetime import date

import click

from workflows.clock import SystemClock, to_local
from workflows.config import load_settings
from workflows.errors import CaseError


@click.group()
def main() -> None:
    """credit-cases — 公共信用案件办理系统"""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema of the configured database."""
    from workflows.migrate import upgrade
    settings = load_settings()
    upgrade(settings.database_url)
    click.echo(f"schema up to date: {_safe_url(settings.database_url)}")


@main.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help="role key, repeatable")
@click.option("--password", required=True)
@click.option("--subject", "subject_code", default=None, help="subject code (applicants)")
@click.option("--department", "department_code", default=None, help="department code (officers)")
@click.option("--name", "display_name", default="")
def create_user_command(username, roles, password, subject_code, department_code, display_name) -> None:
    """Create a user (or reset an existing one's password and roles)."""
    from workflows.users import create_user
    with _runtime().store.write() as uow:
        _guard(lambda: create_user(uow.session, username, password, list(roles), SystemClock().now(),
                                   subject_code=subject_code, department_code=department_code,
                                   display_name=display_name))
        uow.commit()
    click.echo(f"user {username} saved with roles {', '.join(roles)}")


@main.command()
def demo() -> None:
    """Load demo departments, subjects and users (idempotent)."""
    from workflows.demo import DEMO_PASSWORD, load_demo
    with _runtime().store.write() as uow:
        users = load_demo(uow.session, SystemClock().now())
        uow.commit()
    click.echo(f"demo users: {', '.join(users)} (password {DEMO_PASSWORD})")


@main.command()
def tick() -> None:
    """Fire every due timer once, expire records past their publicity period, exit (for cron)."""
    from workflows.background import run_due_work
    done = run_due_work(_runtime().engine)
    click.echo(f"fired timers of {done['timers']} case(s); {done['expired_records']} record(s) expired")


@main.command()
@click.argument("start")
@click.argument("days", type=int)
def deadline(start: str, days: int) -> None:
    """Print the due date of DAYS working days after START (DOMAIN.md §G)."""
    from workflows.calendar import WorkingCalendar, load_overrides
    overrides = _try_overrides(load_overrides)
    due = _guard(lambda: WorkingCalendar(overrides).deadline(start, days))
    click.echo(due.date().isoformat())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option("--threads", default=8, type=int, show_default=True)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web app with waitress, plus the in-process timer sweep."""
    from waitress import serve as waitress_serve

    from webapp import create_app
    from webapp.heap import freeze_startup_heap
    from workflows.scheduler import TimerSweeper
    logging.getLogger().setLevel(logging.INFO)
    app = create_app()
    runtime = app.extensions["credit_cases"]
    freeze_startup_heap()
    sweeper = TimerSweeper(runtime.engine, runtime.settings.sweep_seconds)
    sweeper.start()
    click.echo(f"credit-cases on http://{host}:{port}/ (timer sweep every {sweeper.interval}s)")
    try:
        waitress_serve(app, host=host, port=port, threads=threads)
    finally:
        sweeper.stop()


@main.group()
def calendar() -> None:
    """Working-day overrides (for years the holidays package does not know yet)."""


@calendar.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--working/--holiday", required=True, help="make-up working day, or a rest day")
@click.option("--note", default="")
@click.option("--actor", default="cli")
def calendar_set(day, working: bool, note: str, actor: str) -> None:
    _guard(lambda: _runtime().calendar.set_override(day.date(), working, note, actor))
    click.echo(f"{day.date()} → {'上班' if working else '放假'}")


@calendar.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--actor", default="cli")
def calendar_remove(day, actor: str) -> None:
    removed = _runtime().calendar.remove_override(day.date(), actor)
    click.echo("removed" if removed else "no override for that day")


@calendar.command("list")
def calendar_list() -> None:
    from workflows.calendar import load_overrides
    with _runtime().store.read() as session:
        for day, working in sorted(load_overrides(session).items()):
            click.echo(f"{day.isoformat()}\t{'上班' if working else '放假'}")


def _attach_optional_groups() -> None:
    from workflows.commitment_import import import_commitments_command
    from workflows.early_warning import scan_warnings_command
    main.add_command(scan_warnings_command)
    from workflows.record_import import import_records_command
    main.add_command(import_records_command)
    main.add_command(import_commitments_command)
    try:
        from letters.cli import letter
    except ImportError:  # letters package not installed in this build
        return
    main.add_command(letter)


def _runtime():
    from workflows.runtime import build_runtime
    return build_runtime()


def _try_overrides(loader) -> dict[date, bool]:
    """The deadline command works without a database too (then: the package's calendar)."""
    try:
        with _runtime().store.read() as session:
            return loader(session)
    except Exception:  # noqa: BLE001 - no schema yet
        return {}


def _guard(call):
    try:
        return call()
    except CaseError as err:
        detail = "; ".join(f"{k}: {v}" for k, v in err.fields.items())
        click.echo(f"错误：{err.message}" + (f"（{detail}）" if detail else ""), err=True)
        sys.exit(2)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


_attach_optional_groups()
