"""申请人服务 (applicant portal): register, ask to act for a subject (我的主体, binding requests),
see one's records, request and follow credit repair and objections (异议), make and sign
credit commitments (信用承诺).

Every page is scoped to the logged-in applicant's own subject; other subjects' cases are
404, as if they did not exist. Handlers parse → call → render: the verbs and queries live in
`workflows` (the filings of each kind, `kinds.common.applicant_views`, `.case_messages`,
`.case_files`, `people.registration`), the same ones the API calls, each in its own transaction.
"""
from __future__ import annotations

from webapp.portal.blueprint import bp

from . import account, binding, cases, commitment, home, interview, objection, repair  # noqa: F401  (routes register on import)

__all__ = ["bp"]
