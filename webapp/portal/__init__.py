"""申请人服务 (applicant portal): register, see one's records, request and follow credit repair
and objections (异议), make and sign credit commitments (信用承诺).

Every page is scoped to the logged-in applicant's own subject; other subjects' cases are
404, as if they did not exist. Handlers parse → authorize → call a verb → render; the verbs
are the engine's and `workflows.repair`'s, `.objection`'s and `.commitment`'s, the same ones the API calls.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")

from . import account, cases, commitment, home, objection, repair  # noqa: E402,F401  (routes register on import)
