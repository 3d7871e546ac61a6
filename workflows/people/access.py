"""Who may see and work on which task: BPMN lanes name roles (DESIGN.md "Web").

A lane's name is a role key. Department lanes are additionally scoped to the case's
department, the applicant lane to the case's subject. Supervisors see their reviewers'
lanes so they can reassign; admins see everything.
"""
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
STAFF_ROLES = frozenset({"reviewer", "supervisor", "department", "admin", "auditor"})


@dataclass(frozen=True)
class LaneRule:
    roles: frozenset[str]
    scope: str | None = None  # "department" | "subject" | None


LANES: dict[str, LaneRule] = {
    "applicant": LaneRule(frozenset({"applicant"}), scope="subject"),
    "reviewer": LaneRule(frozenset({"reviewer", "supervisor", "admin"})),
    "supervisor": LaneRule(frozenset({"supervisor", "admin"})),
    "department": LaneRule(frozenset({"department", "admin"}), scope="department"),
    "admin": LaneRule(frozenset({"admin"})),
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

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


SYSTEM = Actor("system", frozenset({"system"}))


def may_work_lane(actor: Actor, lane: str | None, *, department_code: str | None,
                  subject_code: str | None) -> bool:
    """True when `actor` may see, claim and complete a task in `lane` of such a case."""
    if actor is SYSTEM or actor.has("admin"):
        return True
    rule = LANES.get(lane or "")
    if rule is None or not actor.roles & rule.roles:
        return False
    if rule.scope == "department" and not actor.has("supervisor"):
        return actor.department_code is not None and actor.department_code == department_code
    if rule.scope == "subject":
        return actor.subject_code is not None and actor.subject_code == subject_code
    return True


def visible_lanes(actor: Actor) -> list[str]:
    """Lanes whose tasks may appear in this actor's inbox (before case scoping)."""
    return [lane for lane, rule in LANES.items() if actor.has("admin") or actor.roles & rule.roles]
