"""What the warning pages and API read, each in one read transaction, scoped to the caller's inbox."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.core.models.people import Department
from workflows.people.permissions import require

from .scan import WarningPage, department_scope, evidence_records, list_warnings, warning_document, warning_summary


@dataclass(frozen=True)
class Inbox:
    """A page of warnings with a preview of their evidence and the names of their departments."""

    page: WarningPage
    evidence: dict[int, list[dict[str, Any]]]
    names: dict[str, str]


def inbox(store: Store, actor: Actor, status: str | None, limit: int, cursor: int | None,
          preview: int, newer: int | None = None) -> Inbox:
    """Newest first; department officers see their own inbox only."""
    require(actor, "may_read_warnings")
    with store.read() as session:
        page = list_warnings(session, department_scope(actor), status, limit, cursor, newer)
        codes = {code for codes in page.departments.values() for code in codes}
        return Inbox(page, evidence_records(session, page.items, preview), department_names(session, codes))


def warning_list(store: Store, actor: Actor, status: str | None, limit: int,
                 cursor: int | None) -> tuple[list[dict[str, Any]], int | None]:
    """A page of warning summaries (lists mask ID numbers) and the cursor of the next page."""
    require(actor, "may_read_warnings")
    with store.read() as session:
        page = list_warnings(session, department_scope(actor), status, limit, cursor)
    return [warning_summary(w, page.departments[w.id]) for w in page.items], page.next_cursor


def warning_for(store: Store, actor: Actor, warning_id: int) -> dict[str, Any]:
    """One warning with its departments and evidence, if it is in the caller's inbox; who closed it
    by username (`closed_by`) and by name (`closed_by_name`)."""
    require(actor, "may_read_warnings")
    with store.read() as session:
        document = warning_document(session, warning_id, department_scope(actor))
        closed_by = document.get("closed_by")
        document["closed_by_name"] = display_names(session, [closed_by])[closed_by] if closed_by else None
        return document


def department_names(session: Session, codes: set[str]) -> dict[str, str]:
    rows = session.execute(select(Department.code, Department.name).where(Department.code.in_(sorted(codes))))
    return dict(rows.all())
