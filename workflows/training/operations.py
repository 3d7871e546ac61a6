"""Training operations for the pages and the API: permission, one transaction, one commit."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workflows.core.date_rules import after_now, refuse_dates
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import require
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.training.service import (
    AttendanceReport,
    cancel_enrollment,
    create_session,
    enroll,
    import_attendance,
    record_attendance,
)


def open_session(store: Store, actor: Actor, data: Mapping[str, Any], now: datetime) -> TrainingSession:
    """The credit office schedules a session (free of charge, possibly run by a third party)."""
    require(actor, "may_manage_training", "只有信用办可以新建培训场次")
    with store.write() as uow:
        row = create_session(uow.session, data, actor, now)
        errors: dict[str, str] = {}
        after_now(row.starts_at, now, "starts_at", "培训时间", errors)  # announced ahead, never after the fact
        refuse_dates("培训时间不正确", errors)
        uow.commit()
    return row


def enroll_subject(store: Store, actor: Actor, training_session_id: int, subject_code: str, attendee: str,
                   now: datetime) -> Enrollment:
    """Applicants enroll their own subject; organisers any subject."""
    require(actor, "may_enroll", "您无权报名培训")
    with store.write() as uow:
        row = enroll(uow.session, training_session_id, subject_code, attendee, actor, now)
        uow.commit()
    return row


def cancel(store: Store, actor: Actor, enrollment_id: int, now: datetime) -> Enrollment:
    """Give a place back (applicants: their own; organisers: any)."""
    with store.write() as uow:
        row = cancel_enrollment(uow.session, enrollment_id, actor, now)
        uow.commit()
    return row


def mark_attendance(store: Store, actor: Actor, enrollment_id: int, attended: bool, now: datetime,
                    public_url: str) -> Enrollment:
    """Attended issues the numbered certificate; absent issues none."""
    require(actor, "may_organise_training", "您无权登记参训情况")
    with store.write() as uow:
        row = record_attendance(uow.session, enrollment_id, attended, actor, now, public_url)
        uow.commit()
    return row


def import_attendance_list(store: Store, actor: Actor, training_session_id: int, text: str, now: datetime,
                           public_url: str) -> AttendanceReport:
    """All rows or none: a list with any bad row records nothing."""
    require(actor, "may_organise_training", "您无权登记参训情况")
    with store.write() as uow:
        report = import_attendance(uow.session, training_session_id, text, actor, now, public_url)
        if not report.errors:
            uow.commit()
    return report
