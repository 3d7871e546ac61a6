"""The quarterly report (季度工作情况): the sections' tables and charts as a PDF in the letters'
layout, rendered by the letters' renderer with a template and stylesheet of its own.

The template runs in a sandboxed, autoescaping, strict Jinja environment like the letters';
its context is primitives plus the chart SVGs this package drew itself (marked safe).
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from letters.render import default_renderer
from workflows.core.clock import to_local
from workflows.statistics.charts import render_svg
from workflows.statistics.period import Scope
from workflows.statistics.tables import Chart, Section, percent

FOLDER = Path(__file__).resolve().parent / "report"
NUMERALS = "一二三四五六七八九十"


@lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(loader=FileSystemLoader(FOLDER), autoescape=True,
                                         undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def report_title(scope: Scope) -> str:
    return f"{scope.period.label}社会信用体系建设工作情况"


def report_html(scope: Scope, sections: list[Section], *, issuer: str, department: str | None,
                actor: str, now: datetime) -> str:
    local = to_local(now)
    context: dict[str, Any] = {
        "title": report_title(scope), "period": scope.period.label, "issuer": issuer, "department": department,
        "css": (FOLDER / "report.css").read_text(encoding="utf-8"),
        "date": f"{local.year}年{local.month}月{local.day}日", "generated_at": f"{local:%Y-%m-%d %H:%M}",
        "generated_by": actor,
        "sections": [_section_context(n, s) for n, s in enumerate(sections)]}
    return _environment().get_template("template.html").render(context)


def render_report(html: str) -> bytes:
    """PDF bytes; slow (layout and fonts), so callers run it outside any transaction."""
    return default_renderer().render_html(html)


def _section_context(index: int, section: Section) -> dict[str, Any]:
    charted = {chart.table: chart for chart in section.charts if _has_data(chart)}
    blocks = [{"table": table, "svg": render_svg(charted[table.key], 640, 320) if table.key in charted else ""}
              for table in section.tables if table.rows]
    return {"number": NUMERALS[index], "title": section.title, "lines": [_summary(section)], "blocks": blocks}


def _has_data(chart: Chart) -> bool:
    """An empty chart says nothing a table of zeros does not: the report leaves it out."""
    return any(value for _name, values in chart.series for value in values)


def _summary(section: Section) -> str:
    f = section.figures
    if section.key == "repair":
        return (f"本期收到信用修复申请{f['filed']}件，受理{f['accepted']}件，不予受理{f['not_accepted']}件；"
                f"予以修复{f['approved']}件，不予修复{f['rejected']}件，撤回{f['withdrawn']}件，办理中{f['open']}件。"
                f"办理用时中位数{_num(f['handling_median'])}个工作日，P90为{_num(f['handling_p90'])}个工作日；"
                f"信用修复率{percent(f['repair_rate'])}（已修复{f['records_repaired']}条／可修复{f['records_eligible']}条）。")
    if section.key == "objection":
        return (f"本期收到异议申请{f['filed']}件：更正{f['corrected']}件，撤销{f['revoked']}件，维持{f['upheld']}件，"
                f"不予受理{f['not_accepted']}件，撤回{f['withdrawn']}件，办理中{f['open']}件；"
                f"暂停公示合计{f['suspension_days']}天。")
    if section.key == "commitment":
        return (f"本期作出信用承诺{f['made']}件，核查履约{f['verified']}件，其中全部履行{f['fulfilment_full']}件，"
                f"履约率{percent(f['fulfilment_rate'])}，认定违诺{f['breaches']}件。")
    if section.key == "interview":
        return (f"本期发起约谈{f['started']}件，已实施{f['held']}件，到场{f['attended']}件，按期整改{f['rectified']}件，"
                f"升级处理{f['escalated']}件；产生信用风险预警{f['warnings_raised']}条，已约谈{f['warnings_interviewed']}条，"
                f"已关闭{f['warnings_closed']}条。")
    return f"截至报告生成时，待办任务{f['open']}件，其中已超时{f['overdue']}件，今日到期{f['due_today']}件。"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
