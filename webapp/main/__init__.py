"""Home page (what this user can do), navigation links, and the health probes."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, has_request_context, jsonify, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from workflows.people.access import STAFF_ROLES, Actor

from ..api.openapi import document
from ..auth import current_actor, login_required_roles
from ..runtime import get_runtime

bp = Blueprint("main", __name__)
STATUS = {"type": "object", "properties": {"status": {"type": "string"}}}

# (label, path, roles that see it; empty: every logged-in user). Paths of blueprints that
# are not registered (yet) are skipped, so the list is right in every build.
AREAS = (
    (_l("Applicant portal"), "/portal", ("applicant",)),
    (_l("Reviewer desk"), "/desk", tuple(sorted(STAFF_ROLES))),
    (_l("Letters"), "/letters", tuple(sorted(STAFF_ROLES))),
    (_l("Credit records"), "/records", tuple(sorted(STAFF_ROLES))),
    (_l("Credit commitments"), "/commitments", tuple(sorted(STAFF_ROLES))),
    (_l("Repair training"), "/training", tuple(sorted(STAFF_ROLES | {"applicant"}))),
    (_l("Credit risk warnings"), "/warnings", tuple(sorted(STAFF_ROLES))),
    (_l("Working-day calendar"), "/admin/calendar", ("admin",)),
    (_l("API description (OpenAPI)"), "/api/v1/openapi.json", ()),
)


@bp.get("/")
@login_required_roles()
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
    try:
        with get_runtime().store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("readiness check failed", exc_info=True)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@bp.app_context_processor
def navigation() -> dict[str, object]:
    actor = current_actor() if has_request_context() else None
    return {"nav_areas": areas_for(actor) if actor else []}


def areas_for(actor: Actor) -> list[tuple[str, str]]:
    routes = {rule.rule.rstrip("/") for rule in current_app.url_map.iter_rules()}
    return [(str(label), path) for label, path, roles in AREAS
            if path in routes and (not roles or actor.has(*roles))]
