"""The one permission policy: named permissions, each a table of the roles that hold it.

The desk, the portal, the API and the operations in `workflows` all ask this module, by
name (`allows(actor, "may_issue_letters")`), so a button is shown exactly when the action
behind it is allowed. A role may hold a permission everywhere (scope None) or only for its
own subject (applicants) or its own department (认定部门): pass the resource's codes to
check the scope; without them the question is "may this actor ever do it" (menus, buttons).
"""
from __future__ import annotations

from dataclasses import dataclass

from workflows.core.errors import Forbidden
from workflows.people.access import SYSTEM, Actor

SUBJECT, DEPARTMENT, FILER = "subject", "department", "filer"
_ANY = object()  # no resource given: the role alone decides
# Case kinds whose party is the account that filed the case, not the accounts of its subject:
# a binding request is filed before the account may act for the subject (issue 12). Every
# other kind stays subject-scoped, so a filer who loses a binding loses its cases too.
FILER_KINDS = frozenset({"binding"})


@dataclass(frozen=True)
class Permission:
    """Which roles hold a permission, and for which resources (None: all of them)."""

    grants: dict[str, str | None]
    why: str = ""


def _everywhere(*roles: str) -> dict[str, str | None]:
    return {role: None for role in roles}


STAFF = ("reviewer", "supervisor", "department", "admin", "auditor")
WORKERS = ("reviewer", "supervisor", "department", "admin")

POLICY: dict[str, Permission] = {
    # portal and desk
    "may_use_portal": Permission(_everywhere("applicant"), "an applicant's own cases and records"),
    "may_use_desk": Permission(_everywhere(*STAFF), "staff pages: desk, records, letters, commitments"),
    "may_work_tasks": Permission(_everywhere(*WORKERS), "claim and complete tasks of their lanes"),
    "may_assign_tasks": Permission(_everywhere("supervisor", "admin"), "reassign and unclaim others' tasks"),
    "may_read_all_cases": Permission(_everywhere("reviewer", "supervisor", "admin", "auditor")),
    "may_read_case": Permission({"reviewer": None, "supervisor": None, "admin": None, "auditor": None,
                                 "department": DEPARTMENT, "applicant": SUBJECT}),
    "may_comment_cases": Permission(_everywhere(*WORKERS), "internal notes on the cases they may read"),
    "may_read_comments": Permission(_everywhere(*STAFF), "internal notes are never shown to applicants"),
    # filing
    "may_file_for_subject": Permission({"applicant": SUBJECT, **_everywhere(*STAFF, "integration")},
                                       "applicants for their own subject; staff and other systems for any"),
    "may_file_walk_in": Permission(_everywhere("reviewer", "supervisor", "admin")),
    "may_withdraw_case": Permission({"applicant": SUBJECT, "admin": None}),
    "may_report_breach": Permission({"department": DEPARTMENT, "admin": None},
                                    "the accepting department verifies its commitments"),
    "may_schedule_interview": Permission({"department": DEPARTMENT, "supervisor": None, "admin": None},
                                         "谁认定、谁约谈"),
    "may_upload_attachments": Permission(_everywhere("applicant", *WORKERS)),
    # records
    "may_read_records": Permission(_everywhere(*STAFF)),
    "may_check_subjects": Permission({"applicant": SUBJECT, **_everywhere(*STAFF, "integration", "client_check")},
                                     "逢办必查: staff and system clients for any subject, an applicant for its own"),
    "may_create_records": Permission({"department": DEPARTMENT, "admin": None, "client_records": DEPARTMENT},
                                     "a system client with records_write writes for its own department"),
    # letters
    "may_read_letters": Permission(_everywhere(*STAFF)),
    "may_issue_letters": Permission(_everywhere(*WORKERS)),
    "may_open_unattached_letters": Permission(_everywhere("admin", "reviewer", "supervisor", "auditor"),
                                              "letters that belong to no case, e.g. training certificates"),
    "may_watch_letter_rendering": Permission(_everywhere("admin", "auditor"),
                                             "letters not rendered yet and why (failures are retried)"),
    "may_retry_letter_rendering": Permission(_everywhere("admin"),
                                             "try a failed letter again now instead of at its next scheduled attempt"),
    # commitments
    "may_read_commitments": Permission(_everywhere(*STAFF)),
    "may_read_all_commitments": Permission(_everywhere("reviewer", "supervisor", "admin", "auditor")),
    "may_import_commitments": Permission({"department": DEPARTMENT, "admin": None}),
    "may_manage_commitment_templates": Permission(_everywhere("admin")),
    # training
    "may_read_training": Permission(_everywhere(*STAFF)),
    "may_manage_training": Permission(_everywhere("admin")),
    "may_enroll_any_subject": Permission(_everywhere("admin", "reviewer", "supervisor")),
    "may_enroll": Permission({"applicant": SUBJECT, "admin": None, "reviewer": None, "supervisor": None}),
    # early warnings
    "may_read_warnings": Permission({"admin": None, "reviewer": None, "supervisor": None, "auditor": None,
                                     "department": DEPARTMENT}),
    "may_close_warnings": Permission({"admin": None, "department": DEPARTMENT}),
    "may_scan_warnings": Permission(_everywhere("admin")),
    "may_see_personal_ids": Permission(_everywhere(*STAFF), "staff see ID numbers unmasked; others see 1101**…"),
    # BPMN lanes (LANES below name the roles of each lane)
    "may_work_every_lane": Permission(_everywhere("admin")),
    "may_work_any_department": Permission(_everywhere("supervisor", "admin"),
                                          "department lanes are otherwise the case's own department's"),
    # administration and integration
    "may_manage_calendar": Permission(_everywhere("admin")),
    "may_read_outbox": Permission(_everywhere("integration", "client_outbox", "admin", "auditor")),
    # records, commitments, training, warnings, letters, admin
    "may_create_records_anywhere": Permission(_everywhere("admin"), "any department's decisions, not only one's own"),
    "may_import_for_any_department": Permission(_everywhere("admin"), "the credit office imports for every department"),
    "may_open_training": Permission(_everywhere(*STAFF, "applicant"), "staff read sessions; applicants enroll"),
    "may_organise_training": Permission(_everywhere("admin", "reviewer", "supervisor"),
                                        "enroll subjects, cancel enrollments, record attendance"),
    "may_read_all_warnings": Permission(_everywhere("admin", "reviewer", "supervisor", "auditor"),
                                        "every inbox; department officers see their own"),
    "may_close_any_warning": Permission(_everywhere("admin"), "the credit office closes any warning"),
    # cases and tasks
    "may_open_cases": Permission(_everywhere("applicant", *WORKERS),
                                 "the filing itself checks the subject (may_file_for_subject)"),
    "may_take_tasks": Permission(_everywhere("applicant", *WORKERS),
                                 "claim and complete tasks of their lanes; applicants their own steps"),
    "may_request_reschedule": Permission({"applicant": SUBJECT, "department": DEPARTMENT, "admin": None},
                                         "an interview is moved once, on request of either party"),
    "may_see_interview_calendar": Permission(_everywhere(*STAFF)),
    "may_see_all_interviews": Permission(_everywhere("reviewer", "supervisor", "admin", "auditor"),
                                         "others see the interviews of their own department"),
    # office administration
    "may_manage_departments": Permission(_everywhere("admin"), "create, rename, deactivate; letter issuer details"),
    "may_manage_users": Permission(_everywhere("admin"), "accounts, roles, bindings, password resets"),
    "may_manage_bindings": Permission(_everywhere("admin"),
                                      "the credit office reviews binding requests and grants or revokes any binding"),
    "may_request_binding": Permission(_everywhere("applicant"),
                                      "an account asks, with proof, to act for a subject (reviewed by the credit office)"),
    "may_manage_clients": Permission(_everywhere("admin"),
                                     "system clients of other government systems: create, rotate, revoke"),
    "may_follow_own_request": Permission({"applicant": FILER},
                                         "the account that filed a binding request reads, supplements and withdraws it"),
    # statistics (issue 18)
    "may_read_statistics": Permission({"admin": None, "supervisor": None, "auditor": None, "department": DEPARTMENT},
                                      "supervision statistics; a department officer sees its own department"),
    "may_generate_statistics_reports": Permission({"admin": None, "supervisor": None, "department": DEPARTMENT},
                                                  "the quarterly report, archived; auditors read the archive"),
    # audit
    "may_read_audit_log": Permission(_everywhere("auditor", "admin"),
                                     "search and export the audit log (case_event), read-only"),
}


def allows(actor: Actor | None, name: str, *, subject_code: object = _ANY,
           department_code: object = _ANY, filed_by: object = _ANY) -> bool:
    """True when `actor` holds permission `name` (for that subject/department/filer, if given)."""
    if actor is None:
        return False
    if actor is SYSTEM:
        return True
    permission = POLICY[name]  # KeyError: a misspelt permission must fail loudly
    for role in actor.roles:
        if role not in permission.grants:
            continue
        scope = permission.grants[role]
        if scope is None:
            return True
        if (scope == SUBJECT and subject_code is _ANY or scope == DEPARTMENT and department_code is _ANY
                or scope == FILER and filed_by is _ANY):
            return True
        if scope == FILER and actor.username == filed_by:
            return True
        if scope == SUBJECT and actor.subject_code is not None and actor.subject_code == subject_code:
            return True
        if scope == DEPARTMENT and actor.department_code is not None and actor.department_code == department_code:
            return True
    return False


def require(actor: Actor | None, name: str, message: str = "您无权执行此操作", *,
            subject_code: object = _ANY, department_code: object = _ANY) -> None:
    """Raise Forbidden unless `allows(...)`: operations call this inside their transaction."""
    if not allows(actor, name, subject_code=subject_code, department_code=department_code):
        raise Forbidden(message)


def unscoped(actor: Actor | None, name: str) -> bool:
    """True when the actor holds the permission for every subject and department."""
    if actor is SYSTEM:
        return True
    grants = POLICY[name].grants
    return actor is not None and any(role in grants and grants[role] is None for role in actor.roles)


def roles_holding(name: str) -> tuple[str, ...]:
    """The roles that hold a permission anywhere (documented in the OpenAPI description)."""
    return tuple(sorted(POLICY[name].grants))


def permissions_of(actor: Actor | None) -> frozenset[str]:
    """Every permission the actor holds somewhere: what templates test for menus and buttons."""
    return frozenset(name for name in POLICY if allows(actor, name))


def may_follow_filed(actor: Actor | None, case_kind: str, filed_by: str) -> bool:
    """The filer's own rule for the kinds whose party is the filer (FILER_KINDS)."""
    return case_kind in FILER_KINDS and allows(actor, "may_follow_own_request", filed_by=filed_by)


# -- BPMN lanes: a lane's name is a role key; department lanes are scoped to the case's
# department, the applicant lane to the case's subject, the filer lane to the account that
# filed the case (binding requests: it acts for no subject yet).

@dataclass(frozen=True)
class LaneRule:
    roles: frozenset[str]
    scope: str | None = None  # "department" | "subject" | "filer" | None


LANES: dict[str, LaneRule] = {
    "applicant": LaneRule(frozenset({"applicant"}), scope="subject"),
    "filer": LaneRule(frozenset({"applicant"}), scope="filer"),
    "reviewer": LaneRule(frozenset({"reviewer", "supervisor", "admin"})),
    "supervisor": LaneRule(frozenset({"supervisor", "admin"})),
    "department": LaneRule(frozenset({"department", "admin"}), scope="department"),
    "admin": LaneRule(frozenset({"admin"})),
}


def may_work_lane(actor: Actor, lane: str | None, *, department_code: str | None,
                  subject_code: str | None, filed_by: str | None = None) -> bool:
    """True when `actor` may see, claim and complete a task in `lane` of such a case."""
    if actor is SYSTEM or unscoped(actor, "may_work_every_lane"):
        return True
    rule = LANES.get(lane or "")
    if rule is None or not actor.roles & rule.roles:
        return False
    if rule.scope == "department" and not unscoped(actor, "may_work_any_department"):
        return actor.department_code is not None and actor.department_code == department_code
    if rule.scope == "subject":
        return actor.subject_code is not None and actor.subject_code == subject_code
    if rule.scope == "filer":
        return filed_by is not None and actor.username == filed_by
    return True


def visible_lanes(actor: Actor) -> list[str]:
    """Lanes whose tasks may appear in this actor's inbox (before case scoping)."""
    return [lane for lane, rule in LANES.items() if unscoped(actor, "may_work_every_lane") or actor.roles & rule.roles]
