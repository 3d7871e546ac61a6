"""Home page (what this user can do), navigation links, and the health probes."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    has_request_context,
    jsonify,
    render_template,
)
from flask_babel import lazy_gettext as _l

from workflows.core.db import database_answers
from workflows.people.access import Actor
from workflows.people.permissions import allows

from ..api.openapi import document
from ..auth import current_actor, login_required_permission
from ..runtime import get_runtime

bp = Blueprint("main", __name__)
STATUS = {"type": "object", "properties": {"status": {"type": "string"}}}

# (label, path, the permission its page needs; None: every logged-in user). The page behind
# each entry is decorated with the same permission, so no menu leads to a 403.
AREAS = (
    (_l("Applicant portal"), "/portal", "may_use_portal"),
    (_l("My subjects"), "/portal/subjects", "may_request_binding"),
    (_l("Reviewer desk"), "/desk", "may_use_desk"),
    (_l("Letters"), "/letters", "may_read_letters"),
    (_l("Credit records"), "/records", "may_read_records"),
    (_l("Credit commitments"), "/commitments", "may_read_commitments"),
    (_l("Repair training"), "/training", "may_open_training"),
    (_l("Credit risk warnings"), "/warnings", "may_read_warnings"),
    (_l("Statistics"), "/stats", "may_read_statistics"),
    (_l("Working-day calendar"), "/admin/calendar", "may_manage_calendar"),
    (_l("Department administration"), "/admin/departments", "may_manage_departments"),
    (_l("Users"), "/admin/users", "may_manage_users"),
    (_l("System clients"), "/admin/clients", "may_manage_clients"),
    (_l("Audit log"), "/admin/audit", "may_read_audit_log"),
    (_l("API description (OpenAPI)"), "/api/v1/openapi.json", None),
)


@bp.get("/")
@login_required_permission(None)  # every signed-in user, whatever they hold
def home() -> str:
    return render_template("main/home.html", areas=areas_for(current_actor()))


@bp.get("/healthz")
@document("Liveness probe", tags=["meta"], responses={200: ("Alive", STATUS)})
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
@document("Readiness probe: the database answers", tags=["meta"],
          responses={200: ("Ready", STATUS), 503: ("Database unreachable", STATUS)})
def readyz() -> tuple[Response, int]:
    if not database_answers(get_runtime().store.engine):
        current_app.logger.warning("readiness check failed: the database does not answer")
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@bp.app_context_processor
def navigation() -> dict[str, object]:
    """The menus a caller sees: exactly the areas whose pages it may open."""
    actor = current_actor() if has_request_context() else None
    return {"nav_areas": areas_for(actor) if actor else []}


def areas_for(actor: Actor) -> list[tuple[str, str]]:
    return [(str(label), path) for label, path, permission in AREAS
            if permission is None or allows(actor, permission)]
