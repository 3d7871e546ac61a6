"""Bulk imports from other systems' spreadsheets: all rows or none unless --skip-invalid."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from workflows.core.errors import CaseError
from workflows.engine.rules import RuleBook
from workflows.kinds.commitment.imports import CommitmentImportReport, import_for_department
from workflows.records.imports import ImportReport, import_file

from .context import CommandContext, pass_context

REPORT_OPTION = click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
                             help="write every row error to this CSV file")
SKIP_OPTION = click.option("--skip-invalid", is_flag=True, help="store the good rows even if some rows are bad")
FILE_ARGUMENT = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.command("import-records")
@FILE_ARGUMENT
@SKIP_OPTION
@click.option("--actor", default="import", show_default=True, help="who is recorded as having imported")
@REPORT_OPTION
@pass_context
def import_records_command(context: CommandContext, file: Path, skip_invalid: bool, actor: str,
                           report_path: Path | None) -> None:
    """Import administrative-penalty records from a 双公示 CSV or XLSX file (all or none)."""
    runtime = context.runtime
    bar = _Bar()
    try:
        rules = RuleBook.from_directory(runtime.settings.bpmn_dir)
        report = import_file(runtime.store, rules, file, actor, context.now(), skip_invalid, progress=bar.update)
    except CaseError as err:
        click.echo(f"错误：{err.message}", err=True)
        raise SystemExit(2) from err
    finally:
        bar.close()
    _print_errors(report, report_path)
    refused = bool(report.errors) and not skip_invalid
    click.echo(f"共 {report.total} 行，{report.invalid_rows} 行有误：未导入任何记录（可用 --skip-invalid 跳过错误行）"
               if refused else f"共 {report.total} 行，导入 {report.imported} 条，跳过 {report.invalid_rows} 行，"
               f"新登记主体 {report.new_subjects} 个")
    if refused:
        raise SystemExit(1)


@click.command("import-commitments")
@FILE_ARGUMENT
@SKIP_OPTION
@click.option("--department", default=None, help="the importing department's code (受理单位代码)")
@REPORT_OPTION
@pass_context
def import_commitments_command(context: CommandContext, file: Path, skip_invalid: bool, department: str | None,
                               report_path: Path | None) -> None:
    """Import credit commitments made in other systems from a CSV file (all or none)."""
    try:
        report: CommitmentImportReport = import_for_department(
            context.runtime.store, context.operator, file.read_bytes(), file.name, context.now(),
            skip_invalid=skip_invalid, requested=department)
    except CaseError as err:
        click.echo(f"错误：{err.message}", err=True)
        raise SystemExit(2) from err
    _print_errors(report, report_path)
    refused = bool(report.errors) and not skip_invalid
    click.echo(f"共 {report.total} 行，{report.invalid_rows} 行有误：未导入任何承诺（可用 --skip-invalid 跳过错误行）"
               if refused else f"共 {report.total} 行，导入 {report.imported} 条（其中自动生成承诺编码 "
               f"{report.allocated} 个），跳过 {report.invalid_rows} 行")
    if refused:
        raise SystemExit(1)


def _print_errors(report: ImportReport, report_path: Path | None) -> None:
    for error in report.errors[:20]:
        click.echo(f"第{error.row}行 {error.column}：{error.message}", err=True)
    if len(report.errors) > 20:
        click.echo(f"……共 {len(report.errors)} 处错误", err=True)
    if report_path is not None:
        report.write_csv(report_path)
        click.echo(f"错误清单已写入 {report_path}")


class _Bar:
    """One click progress bar over both phases of a records import (checking, then writing)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._rows = 0
        self._shown = 0

    def update(self, phase: str, done: int, total: int) -> None:
        if self._bar is None:
            self._rows = max(total, 1)
            self._bar = click.progressbar(length=2 * self._rows, label="导入信用记录", file=sys.stderr)
            self._bar.__enter__()
        position = done if phase == "validate" else self._rows + done * self._rows // max(total, 1)
        self._bar.update(max(0, position - self._shown))
        self._shown = max(self._shown, position)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
