"""`/stats/<section>`: tables with their charts beside them; CSV/XLSX of every table; the
quarterly report, generated on demand and archived. Handlers parse → call → render."""
from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound as HTTPNotFound
from werkzeug.wrappers import Response

from workflows.statistics import operations
from workflows.statistics.charts import render_svg, style_blocks
from workflows.statistics.exports import table_csv, tables_xlsx
from workflows.statistics.period import CASE_KINDS, REGIMES, Scope, parse_scope

from ..auth.identity import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from ..security import CSP_DIRECTIVES
from .blueprint import bp
from .forms import ReportForm
from .labels import as_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.context_processor
def vocabulary() -> dict[str, object]:
    return as_context()


@bp.get("/")
@login_required_permission("may_read_statistics")
def index() -> Response:
    return redirect(url_for("stats.section", key="repair", **request.args))


@bp.get("/<key>")
@login_required_permission("may_read_statistics")
def section(key: str) -> Response:
    runtime, scope = get_runtime(), _scope()
    found = operations.read_section(runtime.store, runtime.calendar.get(), current_actor(), key, scope)
    charts = {chart.table: render_svg(chart) for chart in found.charts}
    html = render_template("stats/section.html", section=found, charts=charts, scope=scope,
                           sections=tuple(operations.SECTIONS), query=scope.as_query(),
                           departments=operations.departments(runtime.store), case_kinds=CASE_KINDS, regimes=REGIMES,
                           report_form=ReportForm())
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _policy_allowing(charts.values())
    return response


@bp.get("/<key>/<table>.<fmt>")
@login_required_permission("may_read_statistics")
def table_file(key: str, table: str, fmt: str) -> Response:
    runtime, scope = get_runtime(), _scope()
    found = operations.read_section(runtime.store, runtime.calendar.get(), current_actor(), key, scope)
    wanted = next((t for t in found.tables if t.key == table), None)
    if wanted is None or fmt not in ("csv", "xlsx"):
        raise HTTPNotFound()
    name = f"{wanted.title}-{scope.period.label}.{fmt}"
    if fmt == "csv":
        return _download(table_csv(wanted), "text/csv; charset=utf-8", name)
    return _download(tables_xlsx([wanted], scope.period.label), XLSX, name)


@bp.get("/export.xlsx")
@login_required_permission("may_read_statistics")
def export_all() -> Response:
    runtime, scope = get_runtime(), _scope()
    sections = operations.read_all(runtime.store, runtime.calendar.get(), current_actor(), scope)
    tables = [table for found in sections for table in found.tables]
    return _download(tables_xlsx(tables, scope.period.label), XLSX, f"统计-{scope.period.label}.xlsx")


@bp.get("/reports")
@login_required_permission("may_read_statistics")
def reports() -> str:
    scope = _scope()
    return render_template("stats/reports.html", reports=operations.list_reports(get_runtime().store, current_actor()),
                           scope=scope, query=scope.as_query(), report_form=ReportForm())


@bp.post("/reports")
@login_required_permission("may_generate_statistics_reports")
def generate() -> Response:
    if not ReportForm().validate():
        flash(_("The form has expired or is invalid; please reload the page and try again."), "danger")
        return redirect(url_for("stats.reports", **request.args))
    runtime = get_runtime()
    row = operations.generate_report(runtime.store, runtime.calendar.get(), current_actor(), _scope())
    flash(_("The report “%(title)s” was generated and archived.", title=row.title), "success")
    return redirect(url_for("stats.reports", **request.args))


@bp.get("/reports/<int:report_id>.pdf")
@login_required_permission("may_read_statistics")
def report_pdf(report_id: int) -> Response:
    title, pdf, digest = operations.report_pdf(get_runtime().store, current_actor(), report_id)
    response = _download(pdf, "application/pdf", f"{title}.pdf", disposition="inline")
    response.headers["ETag"] = f'"{digest}"'
    return response


def _scope() -> Scope:
    return parse_scope(request.args, get_runtime().clock.now())


def _download(body: bytes, mimetype: str, filename: str, disposition: str = "attachment") -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def _policy_allowing(svgs) -> str:
    """The site's policy, plus the hashes of the charts' own <style> blocks (and nothing else)."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
                     for svg in svgs for block in style_blocks(svg)})
    return "; ".join(CSP_DIRECTIVES + (f"style-src 'self' {' '.join(hashes)}",))
