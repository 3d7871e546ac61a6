"""Who acts: the role keys and their names, and the `Actor` the web layer builds from the
signed-in user (what each may do is `permissions.py`)."""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = {
    "applicant": "申请人",
    "reviewer": "审核人员",
    "supervisor": "科室负责人",
    "department": "认定部门",
    "admin": "信用办",
    "auditor": "审计",
    "integration": "对接系统",  # other government systems reading the outbox and check API
}

# A system client's pseudo-roles, one per scope it may be granted (workflows/people/clients.py).
# They are never given to user accounts: the policy grants each exactly its scope's permissions.
CLIENT_SCOPE_ROLES = {
    "check": "client_check",            # GET /check/{code} (逢办必查)
    "outbox": "client_outbox",          # GET /outbox
    "records_write": "client_records",  # POST /records, for the client's own department only
}


@dataclass(frozen=True)
class Actor:
    """The person or system acting; the web layer builds it from the logged-in user."""

    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    subject_code: str | None = None
    department_code: str | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


SYSTEM = Actor("system", frozenset({"system"}))
