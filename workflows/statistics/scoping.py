"""The WHERE clauses every section shares: cases received in the period, the filters."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from workflows.core.models.cases import Case, HumanTask
from workflows.records.case_regimes import has_regime
from workflows.statistics.period import Scope

DEADLINE_TASKS = {  # (case kind, deadline) -> the user tasks whose due time it is
    ("repair", "first_review"): ("review", "first_review"),
    ("repair", "department_decision"): ("department_decision",),
    ("objection", "first_review"): ("first_review",),
    ("objection", "verify"): ("verify",),
}


def cases_received(scope: Scope, kind: str) -> list[ColumnElement[bool]]:
    """Cases of `kind` received in the period, in the filtered department and regime."""
    found = [Case.kind == kind, Case.received_at >= scope.period.utc_start, Case.received_at < scope.period.utc_end]
    if scope.filters.department:
        found.append(Case.department_code == scope.filters.department)
    if scope.filters.regime:
        found.append(has_regime(scope.filters.regime))
    return found


class unindexed(FunctionElement):
    """The same text, which SQLite will not look up through an index (`column || ''`): a filter
    on a few names it should check on the rows it reads rather than probe the index once per
    name and row, which without statistics it cannot tell is dearer (bench/stats.py). Other
    databases get the column itself, which their planners estimate."""

    type = String()
    inherit_cache = True
    name = "unindexed"


@compiles(unindexed)
def _plain(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _sqlite_unindexed(element: unindexed, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} || '')"


def missed(now: datetime) -> ColumnElement[bool]:
    """A task done after its due time, or still open past it."""
    return ((HumanTask.state == "completed") & (HumanTask.completed_at > HumanTask.due_at)) | (
        (HumanTask.state == "ready") & (HumanTask.due_at < now))


def case_link(case_id: int) -> str:
    return f"/desk/cases/{case_id}"
