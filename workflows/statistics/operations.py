"""Statistics as verbs for the web: read a section, export tables, generate and archive the
quarterly report. Admins, supervisors and auditors see the whole city; a department officer
sees its own department only (the filter is forced, whatever the request says)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workflows.archive.issuers import CREDIT_OFFICE, issuer_block
from workflows.core.calendar import WorkingCalendar
from workflows.core.errors import NotFound
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department
from workflows.core.models.statistics import StatisticsReport
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import require, unscoped
from workflows.statistics.commitment import commitment_section
from workflows.statistics.interview import interview_section
from workflows.statistics.now import now_section
from workflows.statistics.objection import objection_section
from workflows.statistics.period import Scope
from workflows.statistics.report import render_report, report_html, report_title
from workflows.statistics.repair import repair_section
from workflows.statistics.tables import Section

SECTIONS: dict[str, Callable[[Session, Scope, WorkingCalendar], Section]] = {
    "repair": repair_section,
    "objection": lambda session, scope, _calendar: objection_section(session, scope),
    "commitment": lambda session, scope, _calendar: commitment_section(session, scope),
    "interview": lambda session, scope, _calendar: interview_section(session, scope),
    "now": lambda session, scope, _calendar: now_section(session, scope),
}
REPORTS_SHOWN = 50


def scoped(actor: Actor, scope: Scope) -> Scope:
    """Who may read statistics, and of which department."""
    require(actor, "may_read_statistics", "您无权查看统计")
    if unscoped(actor, "may_read_statistics"):
        return scope
    return scope.for_department(actor.department_code or "-")


def read_section(store: Store, calendar: WorkingCalendar, actor: Actor, key: str, scope: Scope) -> Section:
    if key not in SECTIONS:
        raise NotFound("没有这项统计")
    scope = scoped(actor, scope)
    with analytical_read(store) as session:
        return SECTIONS[key](session, scope, calendar)


def read_all(store: Store, calendar: WorkingCalendar, actor: Actor, scope: Scope) -> list[Section]:
    """Every section in one read transaction (the XLSX export and the report)."""
    scope = scoped(actor, scope)
    with analytical_read(store) as session:
        return [build(session, scope, calendar) for build in SECTIONS.values()]


@contextmanager
def analytical_read(store: Store) -> Iterator[Session]:
    """A read whose statements PostgreSQL plans for their own values every time.

    Reads there run as prepared statements (workflows/core/store.py); after a few runs PostgreSQL
    may keep one generic plan made without the values, which for a year filtered by regime chose
    a nested loop over every case: 2–3 × slower (bench/stats.py). Planning these few statements
    costs well under a millisecond. The setting is the connection's, so it is reset before the
    connection goes back to the pool."""
    with store.read() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            session.execute(text("SET plan_cache_mode = force_custom_plan"))
        try:
            yield session
        finally:
            if postgres:
                session.execute(text("RESET plan_cache_mode"))


def departments(store: Store) -> list[tuple[str, str]]:
    """(code, name) for the department filter."""
    with store.read() as session:
        return [(row.code, row.name) for row in session.execute(
            select(Department.code, Department.name).order_by(Department.code))]


def generate_report(store: Store, calendar: WorkingCalendar, actor: Actor, scope: Scope) -> StatisticsReport:
    """Compute, render (outside any transaction) and archive the report with its sha256."""
    require(actor, "may_generate_statistics_reports", "您无权生成统计报告")
    scope = scoped(actor, scope)
    sections = read_all(store, calendar, actor, scope)
    with store.read() as session:
        issuer = issuer_block(session, "acceptance", CREDIT_OFFICE)["name"]
        department = session.get(Department, scope.filters.department) if scope.filters.department else None
        department_name = department.name if department else scope.filters.department
    html = report_html(scope, sections, issuer=issuer, department=department_name, actor=actor.username,
                       now=scope.now)
    return archive_report(store, scope, render_report(html), actor)


def archive_report(store: Store, scope: Scope, pdf: bytes, actor: Actor) -> StatisticsReport:
    digest = hashlib.sha256(pdf).hexdigest()
    with store.write() as uow:
        row = StatisticsReport(title=report_title(scope), period_start=scope.period.start,
                               period_end=scope.period.end, department_code=scope.filters.department,
                               sha256=digest, size=len(pdf), pdf=pdf, generated_by=actor.username,
                               generated_at=scope.now)
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(CaseEvent(case_id=None, at=scope.now, actor=actor.username, kind="statistics_report",
                                  summary=f"生成统计报告《{row.title}》", task_id=None, bpmn_id=None, before=None,
                                  after={"report_id": row.id, "sha256": digest, "size": len(pdf)}))
        uow.commit()
        uow.session.expunge(row)
    return row


def list_reports(store: Store, actor: Actor) -> list[dict[str, Any]]:
    require(actor, "may_read_statistics", "您无权查看统计")
    query = select(StatisticsReport.id, StatisticsReport.title, StatisticsReport.period_start,
                   StatisticsReport.period_end, StatisticsReport.department_code, StatisticsReport.sha256,
                   StatisticsReport.size, StatisticsReport.generated_by, StatisticsReport.generated_at)
    if not unscoped(actor, "may_read_statistics"):
        query = query.where(StatisticsReport.department_code == actor.department_code)
    with store.read() as session:
        rows = session.execute(query.order_by(StatisticsReport.id.desc()).limit(REPORTS_SHOWN))
        return [dict(row._mapping) for row in rows]


def report_pdf(store: Store, actor: Actor, report_id: int) -> tuple[str, bytes, str]:
    """(title, the archived bytes, their sha256): identical on every download."""
    require(actor, "may_read_statistics", "您无权查看统计")
    with store.read() as session:
        row = session.get(StatisticsReport, report_id)
        if row is None or not (unscoped(actor, "may_read_statistics") or row.department_code == actor.department_code):
            raise NotFound("统计报告不存在")
        return row.title, row.pdf, row.sha256
