"""What the training pages and API read: sessions with their counts, enrollments.

The functions over a Session compose; the ones over a Store open one read transaction each
for a page or an API answer. The operations that change anything live in `operations`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import allows, require
from workflows.core.models.letters import PENDING, Letter
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.training.service import ACTIVE, local_day, verify_certificate


@dataclass(frozen=True)
class SessionSummary:
    session: TrainingSession
    taken: int  # enrolled, attended or absent
    attended: int

    @property
    def full(self) -> bool:
        return self.taken >= self.session.capacity


def get_session(session: Session, training_session_id: int) -> TrainingSession:
    row = session.get(TrainingSession, training_session_id)
    if row is None:
        raise NotFound("培训场次不存在")
    return row


def summary(session: Session, row: TrainingSession) -> SessionSummary:
    return SessionSummary(row, *_counts(session, [row.id]).get(row.id, (0, 0)))


def list_sessions(session: Session, now: datetime, *, open_only: bool = False) -> list[SessionSummary]:
    """Upcoming sessions first (soonest first), then past ones (latest first).

    `open_only`: what an applicant may still enroll in (open, and not over).
    """
    query = select(TrainingSession)
    if open_only:
        query = query.where(TrainingSession.status == "open")
    rows = [r for r in session.scalars(query) if not open_only or local_day(r.starts_at) >= local_day(now)]
    counts = _counts(session, [r.id for r in rows])
    upcoming = sorted((r for r in rows if r.starts_at >= now), key=lambda r: (r.starts_at, r.id))
    past = sorted((r for r in rows if r.starts_at < now), key=lambda r: (r.starts_at, r.id), reverse=True)
    return [SessionSummary(r, *counts.get(r.id, (0, 0))) for r in upcoming + past]


def _counts(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    """session id -> (places taken, attended), one GROUP BY for the whole list."""
    query = (select(Enrollment.session_id, Enrollment.status, func.count()).where(Enrollment.session_id.in_(ids))
             .group_by(Enrollment.session_id, Enrollment.status))
    counts: dict[int, tuple[int, int]] = {}
    for session_id, status, count in session.execute(query):
        taken, attended = counts.get(session_id, (0, 0))
        counts[session_id] = (taken + count * (status in ACTIVE), attended + count * (status == "attended"))
    return counts


def session_enrollments(session: Session, training_session_id: int) -> list[Enrollment]:
    query = select(Enrollment).where(Enrollment.session_id == training_session_id).order_by(Enrollment.id)
    return list(session.scalars(query))


def subject_enrollments(session: Session, subject_code: str) -> list[tuple[Enrollment, TrainingSession]]:
    """A subject's enrollments with their sessions, the latest session first."""
    query = (select(Enrollment, TrainingSession).join(TrainingSession, TrainingSession.id == Enrollment.session_id)
             .where(Enrollment.subject_code == subject_code)
             .order_by(TrainingSession.starts_at.desc(), Enrollment.id.desc()))
    return [(enrollment, training) for enrollment, training in session.execute(query)]


def pending_letters(session: Session, enrollments: list[Enrollment]) -> frozenset[int]:
    """Which of these certificates are numbered but not rendered yet: pages say "being generated"
    instead of linking to a PDF that would answer 202."""
    ids = [row.certificate_letter_id for row in enrollments if row.certificate_letter_id]
    if not ids:
        return frozenset()
    return frozenset(session.scalars(select(Letter.id).where(Letter.id.in_(ids), Letter.status == PENDING)))


def find_enrollment(session: Session, enrollment_id: int) -> Enrollment:
    row = session.get(Enrollment, enrollment_id)
    if row is None:
        raise NotFound("报名记录不存在")
    return row


@dataclass(frozen=True)
class SessionPage:
    summary: SessionSummary
    enrollments: list[Enrollment]
    pending_certificates: frozenset[int] = frozenset()  # letter ids numbered but not rendered yet


@dataclass(frozen=True)
class ApplicantView:
    """An applicant's enrollments, the sessions still open, and those already taken."""

    mine: list[tuple[Enrollment, TrainingSession]]
    sessions: list[SessionSummary]
    taken: set[int]
    pending_certificates: frozenset[int] = frozenset()


def sessions_for(store: Store, actor: Actor, now: datetime) -> list[SessionSummary]:
    """Staff read every session; anyone else only those still open for enrollment."""
    with store.read() as session:
        return list_sessions(session, now, open_only=not allows(actor, "may_read_training"))


def session_page(store: Store, actor: Actor, training_session_id: int) -> SessionPage:
    require(actor, "may_read_training")
    with store.read() as session:
        row = summary(session, get_session(session, training_session_id))
        enrollments = session_enrollments(session, training_session_id)
        return SessionPage(row, enrollments, pending_letters(session, enrollments))


def applicant_view(store: Store, actor: Actor, now: datetime) -> ApplicantView:
    """What `/training/my` shows: only the account's own subject is read."""
    if not actor.subject_code:
        raise NotFound("账号未绑定主体")
    with store.read() as session:
        mine = subject_enrollments(session, actor.subject_code)
        sessions = list_sessions(session, now, open_only=True)
        pending = pending_letters(session, [enrollment for enrollment, _training in mine])
    taken = {enrollment.session_id for enrollment, _training in mine if enrollment.status != "cancelled"}
    return ApplicantView(mine, sessions, taken, pending)


def session_of_enrollment(store: Store, enrollment_id: int) -> int:
    with store.read() as session:
        return find_enrollment(session, enrollment_id).session_id


def certificate_verdict(store: Store, actor: Actor, subject_code: str, number: str) -> Enrollment | None:
    """The enrollment a certificate was issued for, if it was issued to this subject."""
    require(actor, "may_read_training")
    with store.read() as session:
        return verify_certificate(session, subject_code, number)
