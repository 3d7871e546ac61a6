"""Render pending letters after their step committed: one plain function for every worker.

`render_letter` is what the embedded default's in-process pool, `credit-cases tick` (and the
sweep of `serve`) and Celery workers all run: a short read, the rendering and the organ's
signature OUTSIDE any transaction or lock, then a short write `… WHERE id = :id AND status = 'pending'`. Running it
twice, or from two processes at once, archives the letter once (the second write finds it
issued and changes nothing). A failure is counted, kept on the row (`render_error`) and in the
audit log, and retried by the sweep with a growing delay: a letter is never lost.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from letters.render import default_renderer
from workflows.archive.signing import Organ, Signer, default_signer, signature_facts
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department
from workflows.core.models.letters import ISSUED, PENDING, Letter
from workflows.core.store import Store
from workflows.people.notices import announce

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
OVERDUE = timedelta(minutes=10)  # a letter pending longer than this is flagged (admin page, integrity)
SYSTEM = "system"


@dataclass(frozen=True)
class Outcome:
    letter_id: int
    status: str  # "issued" (archived now), "already" (done before or gone), "failed"
    error: str | None = None


def render_letter(store: Store, letter_id: int, now: datetime, signer: Signer | None = None) -> Outcome:
    """Render one pending letter, sign it for its organ and archive its bytes; idempotent, safe
    to run anywhere. `signer`: the configured one unless given (archive/signing.py)."""
    with store.read() as session:
        row = session.execute(select(Letter.letter_type, Letter.context, Letter.status, Letter.organ_code,
                                     Department.certificate_path)
                              .outerjoin(Department, Department.code == Letter.organ_code)
                              .where(Letter.id == letter_id)).first()
    if row is None or row.status != PENDING:
        return Outcome(letter_id, "already")
    organ = Organ(row.organ_code, row.context["issuer"]["name"], row.certificate_path)
    try:  # no transaction is open: rendering, then signing (the signature covers the final bytes)
        pdf = (signer or default_signer()).sign(default_renderer().render(row.letter_type, row.context), organ)
    except Exception as err:  # noqa: BLE001 - whatever stops it is kept for the admins and retried
        return _failed(store, letter_id, now, err)
    digest, signed = hashlib.sha256(pdf).hexdigest(), signature_facts(pdf)
    with store.write() as uow:
        done = uow.session.execute(
            update(Letter).where(Letter.id == letter_id, Letter.status == PENDING)
            .values(status=ISSUED, pdf=pdf, sha256=digest, size=len(pdf), rendered_at=now,
                    next_render_at=None, render_error=None, signed_by=signed and signed.signed_by,
                    signed_at=signed and signed.signed_at)
            .returning(Letter.case_id, Letter.number)).first()
        if done is None:  # another worker archived it meanwhile: its bytes stand
            return Outcome(letter_id, "already")
        if done.case_id is not None:
            uow.session.add(CaseEvent(case_id=done.case_id, at=now, actor=SYSTEM, kind="letter_archived",
                                      summary=f"文书 {done.number} 已生成并归档",
                                      after={"letter_id": letter_id, "number": done.number, "sha256": digest,
                                             "size": len(pdf), "signed_by": signed and signed.signed_by}))
            announce(uow.session)  # notifications that waited for this letter may go out now
        uow.commit()
    return Outcome(letter_id, "issued")


def _failed(store: Store, letter_id: int, now: datetime, err: BaseException) -> Outcome:
    message = f"{type(err).__name__}: {err}"[:500]
    log.warning("letter %s could not be rendered (retried later): %s", letter_id, message)
    with store.write() as uow:
        row = uow.session.execute(
            update(Letter).where(Letter.id == letter_id, Letter.status == PENDING)
            .values(render_attempts=Letter.render_attempts + 1, render_error=message)
            .returning(Letter.render_attempts, Letter.case_id, Letter.number)).first()
        if row is None:
            return Outcome(letter_id, "already")
        uow.session.execute(update(Letter).where(Letter.id == letter_id)
                            .values(next_render_at=now + retry_delay(row.render_attempts)))
        uow.session.add(CaseEvent(case_id=row.case_id, at=now, actor=SYSTEM, kind="letter_render_failed",
                                  summary=f"文书 {row.number} 生成失败（第 {row.render_attempts} 次），将自动重试：{message}"[:500],
                                  after={"letter_id": letter_id, "attempts": row.render_attempts, "error": message}))
        uow.commit()
    return Outcome(letter_id, "failed", message)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most an hour: a broken letter does not hog the workers."""
    return min(RETRY_FIRST * (2 ** max(attempts - 1, 0)), RETRY_MAX)


def render_letters(store: Store, letter_ids: list[int], now: datetime) -> list[Outcome]:
    """Several letters, one after another (a step's letters, a worker's batch)."""
    return [render_letter(store, letter_id, now) for letter_id in letter_ids]


def due_letters(store: Store, now: datetime, limit: int = 100, *, every: bool = False) -> list[int]:
    """Pending letters due for a (re)try, oldest first; `every`: all pending ones (start-up)."""
    with store.read() as session:
        query = select(Letter.id).where(Letter.status == PENDING)
        if not every:
            query = query.where(Letter.next_render_at <= now)
        return list(session.scalars(query.order_by(Letter.id).limit(limit)))


def sweep_letters(store: Store, now: datetime, *, limit: int = 500, every: bool = False) -> dict[str, int]:
    """Render the pending letters due now (cron's tick, the serve sweep, Celery beat)."""
    counts = {"letters_rendered": 0, "letters_failed": 0}
    for outcome in render_letters(store, due_letters(store, now, limit, every=every), now):
        if outcome.status == "issued":
            counts["letters_rendered"] += 1
        elif outcome.status == "failed":
            counts["letters_failed"] += 1
    return counts


@dataclass(frozen=True)
class Backlog:
    pending: int
    failing: int  # pending with at least one failed attempt
    overdue: int  # pending longer than OVERDUE
    oldest: datetime | None


def backlog(session: Session, now: datetime) -> Backlog:
    pending = Letter.status == PENDING
    count, failing, oldest = session.execute(select(
        func.count(Letter.id), func.count(Letter.id).filter(Letter.render_attempts > 0),
        func.min(Letter.issued_at)).where(pending)).one()
    overdue = session.scalar(select(func.count(Letter.id)).where(pending, Letter.issued_at < now - OVERDUE))
    return Backlog(count, failing, overdue or 0, oldest)


def pending_letters(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    """What admins see of the letters not yet archived, failing ones first."""
    rows = session.execute(select(Letter.id, Letter.number, Letter.title, Letter.case_id, Letter.issued_at,
                                  Letter.render_attempts, Letter.render_error, Letter.next_render_at)
                           .where(Letter.status == PENDING)
                           .order_by(Letter.render_attempts.desc(), Letter.id).limit(limit))
    return [dict(row._mapping) for row in rows]
