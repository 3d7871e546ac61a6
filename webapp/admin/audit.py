"""`/admin/audit`: search the audit log (auditors and the credit office), page it, export it as CSV.

API twin: `GET /api/v1/audit`. The filter is parsed by `workflows.administration.audit`, so bad
input gets the same Chinese message here and in the API.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from flask import Response, render_template, request
from flask_babel import gettext as _

from workflows.administration.audit_log import (
    EXPORT_LIMIT,
    MAX_LENGTHS,
    AuditEntry,
    AuditFilter,
    audit_page,
    export_entries,
    parse_filter,
    parse_position,
)
from workflows.core.clock import to_local
from workflows.core.errors import InvalidInput

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # Excel would run these as formulas


@bp.get("/audit")
@login_required_permission("may_read_audit_log")
def audit() -> str | tuple[str, int]:
    try:
        wanted, cursor, after = parse_position(request.args)
    except InvalidInput as err:
        return _page(AuditFilter(), None, None, err), 400
    return _page(wanted, cursor, after)


@bp.get("/audit.csv")
@login_required_permission("may_read_audit_log")
def audit_csv() -> Response:
    wanted, _cursor = parse_filter(request.args)  # InvalidInput: the Chinese error page, 400
    rows = export_entries(get_runtime().store, current_actor(), wanted)
    stamp = to_local(get_runtime().clock.now()).strftime("%Y%m%d-%H%M")
    return Response(_csv_lines(_header(), rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
        "X-Export-Limit": str(EXPORT_LIMIT)})


def _page(wanted: AuditFilter, cursor: int | None, after: int | None, error: InvalidInput | None = None) -> str:
    page = None if error else audit_page(get_runtime().store, current_actor(), wanted, cursor, after=after)
    typed = {name: request.args.get(name, "")[:limit] for name, limit in MAX_LENGTHS.items()}
    return render_template("admin/audit.html", page=page, wanted=wanted, typed=typed, error=error,
                           limits=MAX_LENGTHS, query=wanted.as_query(), export_limit=EXPORT_LIMIT)


def _header() -> list[str]:
    """The columns; the user's display name comes last, so earlier columns keep their places."""
    return [_("Event number"), _("Time"), _("User"), _("Event kind"), _("Case"), _("Subject code"),
            _("Summary"), _("Before"), _("After"), _("Display name")]


def _csv_lines(header: list[str], rows: Iterable[AuditEntry]) -> Iterator[str]:
    """UTF-8 with a BOM (Excel then reads Chinese), one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + _flush(buffer)
    for row in rows:
        writer.writerow(_cells(row))
        yield _flush(buffer)


def _cells(row: AuditEntry) -> list[str]:
    cells = [str(row.id), to_local(row.at).strftime("%Y-%m-%d %H:%M:%S"), row.actor, row.kind,
             str(row.case_id or ""), row.subject_code or "", row.summary, _json(row.before), _json(row.after),
             row.actor_name]
    return ["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in cells]


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flush(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
