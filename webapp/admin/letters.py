"""`/admin/letters`: letters numbered but not rendered yet — how many, since when, and why a
rendering failed (the sweeps retry it). API twin: `GET /api/v1/admin/letters/rendering`."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.archive.operations import retry_rendering
from workflows.core.errors import Conflict, NotFound

from workflows.archive.queries import rendering_state

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp


@bp.get("/letters")
@login_required_permission("may_watch_letter_rendering")
def letters_rendering() -> str:
    runtime = get_runtime()
    state = rendering_state(runtime.store, current_actor(), runtime.clock.now())
    return render_template("admin/letters.html", backlog=state.backlog, letters=state.letters)


@bp.post("/letters/<int:letter_id>/retry")
@login_required_permission("may_retry_letter_rendering")
def retry_letter(letter_id: int) -> Response:
    """A failed letter tried again now (after its cause was fixed), not at its backed-off time."""
    runtime = get_runtime()
    try:
        retried = retry_rendering(runtime.store, current_actor(), letter_id, runtime.clock.now())
        flash(_("Letter %(number)s will be generated again now.", number=retried["number"]), "success")
    except (NotFound, Conflict) as err:
        flash(str(err), "warning")
    return redirect(url_for("admin.letters_rendering"))
