"""`/desk/cases/<id>/comments`: staff leave an internal note on a case (never shown to applicants)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.comments import add_comment
from workflows.core.errors import CaseError

from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime
from .blueprint import bp


@bp.post("/cases/<int:case_id>/comments")
@login_required_permission("may_comment_cases")
def comment(case_id: int) -> Response:
    runtime = get_runtime()
    try:
        add_comment(runtime.store, current_actor(), case_id, request.form.get("body"), runtime.clock.now())
        flash(_("Internal note added."), "success")
    except CaseError as err:
        flash(err.fields.get("body") or err.message, "danger")
    return redirect(url_for("desk.case_page", case_id=case_id) + "#timeline")
