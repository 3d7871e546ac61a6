"""`/admin/letters`: letters numbered but not rendered yet — how many, since when, and why a
rendering failed (the sweeps retry it). API twin: `GET /api/v1/admin/letters/rendering`."""
from __future__ import annotations

from flask import render_template

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
