"""Lane → role rules: who may work which task."""
from __future__ import annotations

from workflows.people.access import SYSTEM, Actor
from workflows.people.permissions import may_work_lane, visible_lanes

CASE = {"department_code": "QZ-SCJG", "subject_code": "91350100M000100Y43"}


def actor(*roles, subject=None, department=None) -> Actor:
    return Actor("u", frozenset(roles), subject, department)


def test_reviewer_lane():
    assert may_work_lane(actor("reviewer"), "reviewer", **CASE)
    assert may_work_lane(actor("supervisor"), "reviewer", **CASE)
    assert not may_work_lane(actor("department", department="QZ-SCJG"), "reviewer", **CASE)
    assert not may_work_lane(actor("applicant", subject=CASE["subject_code"]), "reviewer", **CASE)


def test_department_lane_is_scoped_to_the_case_department():
    assert may_work_lane(actor("department", department="QZ-SCJG"), "department", **CASE)
    assert not may_work_lane(actor("department", department="QZ-STHJ"), "department", **CASE)
    assert not may_work_lane(actor("department"), "department", **CASE)


def test_applicant_lane_is_scoped_to_the_case_subject():
    assert may_work_lane(actor("applicant", subject=CASE["subject_code"]), "applicant", **CASE)
    assert not may_work_lane(actor("applicant", subject="91350200MA2Y4G5U0E"), "applicant", **CASE)
    assert not may_work_lane(actor("reviewer"), "applicant", **CASE)


def test_admin_and_system_may_work_everything_but_auditor_nothing():
    for lane in ("reviewer", "department", "applicant", "unknown"):
        assert may_work_lane(actor("admin"), lane, **CASE)
        assert may_work_lane(SYSTEM, lane, **CASE)
        assert not may_work_lane(actor("auditor"), lane, **CASE)


def test_visible_lanes():
    assert visible_lanes(actor("reviewer")) == ["reviewer"]
    assert set(visible_lanes(actor("supervisor"))) == {"reviewer", "supervisor"}
    assert visible_lanes(actor("auditor")) == []
