"""Running the product: the server with its timer sweep, cron's tick, the nightly scan."""
from __future__ import annotations

import logging

import click

from workflows.background.work import prepare_for_work, run_due_work
from workflows.core.config import is_loopback_url
from workflows.core.errors import CaseError
from workflows.engine.rules import RuleBook
from workflows.warnings.operations import scan_now

from .context import CommandContext, pass_context


@click.command()
@pass_context
def tick(context: CommandContext) -> None:
    """Fire every due timer once, expire records past their publicity period and API idempotency
    keys past a day, render the pending letters due for a (re)try, give today's task reminders and
    send the notifications due by e-mail/SMS, exit (for cron)."""
    prepare_for_work()
    done = run_due_work(context.runtime.engine, courier=context.runtime.courier)
    line = (f"fired timers of {done['timers']} case(s); {done['expired_records']} record(s) expired; "
            f"{done['expired_idempotency_keys']} idempotency key(s) expired")
    if done["letters_rendered"] or done["letters_failed"]:
        line += f"; {done['letters_rendered']} letter(s) rendered, {done['letters_failed']} failed (retried later)"
    if done.get("task_reminders") or done.get("mails_sent") or done.get("mails_failed"):
        line += (f"; {done['task_reminders']} task reminder(s), {done['mails_sent']} notification(s) sent, "
                 f"{done['mails_failed']} failed (retried later)")
    click.echo(line)


@click.command("scan-warnings")
@click.option("--actor", default="system", show_default=True, help="who is recorded as having scanned")
@pass_context
def scan_warnings_command(context: CommandContext, actor: str) -> None:
    """Scan credit records for early warnings (Xiamen seed §24) and print the counts."""
    runtime = context.runtime
    try:
        rules = RuleBook.from_directory(runtime.settings.bpmn_dir)
        report = scan_now(runtime.store, rules, context.operator_named(actor), context.now())
    except CaseError as err:
        raise click.ClickException(err.message) from err
    click.echo(report.summary())


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option("--threads", default=8, type=int, show_default=True)
@click.option("--dev", is_flag=True, envvar="CREDIT_CASES_DEV",
              help="development run: letters may print the loopback address (CREDIT_CASES_DEV=1)")
@pass_context
def serve(context: CommandContext, host: str, port: int, threads: int, dev: bool) -> None:
    """Serve the web app with waitress, plus the in-process timer sweep and letter workers.

    The sweep's first round renders every letter left pending (e.g. by a crash between a step's
    commit and its rendering); later rounds retry the letters due again. Letters print
    CREDIT_CASES_PUBLIC_URL in their verification address and QR code: a production run refuses
    to start with the loopback default, which no recipient could open."""
    check_public_url(context.runtime.settings.public_url, dev)
    from waitress import serve as waitress_serve

    from webapp import create_app
    from webapp.heap import freeze_startup_heap
    from workflows.background.scheduler import TimerSweeper
    logging.getLogger().setLevel(logging.INFO)
    prepare_for_work()  # before the first request or sweep can issue a letter
    runtime = context.runtime
    app = create_app({"RUNTIME": runtime})
    freeze_startup_heap()
    sweeper = TimerSweeper(runtime.engine, runtime.settings.sweep_seconds, sweep_every_letter_first=True,
                           courier=runtime.courier)
    sweeper.start()
    click.echo(f"credit-cases on http://{host}:{port}/ (timer sweep every {sweeper.interval}s; "
               f"letters rendered by: {runtime.settings.letter_workers})")
    try:
        waitress_serve(app, host=host, port=port, threads=threads)
    finally:
        sweeper.stop()


def check_public_url(public_url: str, dev: bool) -> None:
    """Refuse a production start whose letters would print a loopback address; warn in development."""
    if not is_loopback_url(public_url):
        return
    if not dev:
        raise click.ClickException(
            f"CREDIT_CASES_PUBLIC_URL is {public_url}: letters would print an address only this machine "
            "can open. Set it to the public address (https://…), or pass --dev for a development run.")
    click.echo(f"warning: development run, letters print {public_url} in their verification address "
               "(set CREDIT_CASES_PUBLIC_URL before going live)", err=True)
