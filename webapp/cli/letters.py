"""``credit-cases letter``: render letter templates, show their data, prepare the fonts.

    credit-cases letter render repair_decision --demo -o decision.pdf
    credit-cases letter render repair_decision --data case.json -o decision.pdf
    credit-cases letter fonts prepare
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

import click

from letters.catalog import TYPES
from letters.demo import demo_context
from letters.errors import FontMissingError, LetterContextError
from letters.fonts import ensure_fonts, prepare_fonts
from letters.render import render
from letters.schema_doc import schema_markdown


@click.group()
def letter() -> None:
    """公文文书（PDF）：渲染、示例数据、字体准备。"""


@letter.command("types")
def list_types() -> None:
    """列出文书类型（key 与中文标题）。"""
    for key, title in TYPES.items():
        click.echo(f"{key}\t{title}")


@letter.command("demo")
@click.argument("letter_type", type=click.Choice(list(TYPES)))
def show_demo(letter_type: str) -> None:
    """打印示例数据（JSON），可修改后用 --data 渲染。"""
    click.echo(json.dumps(demo_context(letter_type), ensure_ascii=False, indent=2))


@letter.command("schema")
def show_schema() -> None:
    """打印各文书类型的数据字段说明（Markdown，README 即由此生成）。"""
    click.echo(schema_markdown())


@letter.command("render")
@click.argument("letter_type", type=click.Choice(list(TYPES)))
@click.option("--data", "data_file", type=click.File("r", encoding="utf-8"),
              help="文书数据 JSON 文件（- 为标准输入）。")
@click.option("--demo", is_flag=True, help="使用内置示例数据。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出 PDF 路径（- 为标准输出）。")
def render_letter(letter_type: str, data_file: IO[str] | None, demo: bool, output: str) -> None:
    """渲染一份文书为 PDF。"""
    if (data_file is None) == (not demo):
        raise click.UsageError("请指定 --data FILE.json 或 --demo 之一")
    try:
        context = json.load(data_file) if data_file else demo_context(letter_type)
        ensure_fonts()  # no transaction here: the one place besides `prepare` that may build them
        pdf = render(letter_type, context)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"数据文件不是有效的 JSON：{exc}") from exc
    except (LetterContextError, FontMissingError) as exc:
        raise click.ClickException(str(exc)) from exc
    if output == "-":
        sys.stdout.buffer.write(pdf)
        return
    Path(output).write_bytes(pdf)
    click.echo(f"{output}：{TYPES[letter_type]}，{len(pdf) // 1024} KB", err=True)


@letter.group("fonts")
def fonts() -> None:
    """中文字体子集（安装时准备一次）。"""


@fonts.command("prepare")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="数据目录（默认 $CREDIT_CASES_DATA_DIR 或 ./var）。")
@click.option("--force", is_flag=True, help="即使已是最新也重新生成。")
@click.option("--jobs", default=2, show_default=True, help="并行进程数。")
def prepare(data_dir: str | None, force: bool, jobs: int) -> None:
    """由 fonts-noto-cjk 生成字体子集（约 20 秒，幂等）。"""
    try:
        target = prepare_fonts(data_dir, force=force, jobs=jobs)
    except FontMissingError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"字体子集已就绪：{target}")
