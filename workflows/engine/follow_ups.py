"""Follow-ups of a committed step: the cases it opens and the messages it sends other cases.

A step asks for them while it runs (`StepContext.post_start` / `post_message`); they are written
as rows in the step's own transaction, and each is delivered in a transaction of its own that
deletes its row. A crash between the step's commit and a delivery leaves the row for the next
sweep (serve's, `credit-cases tick`, Celery beat); two deliverers racing for one row meet at its
DELETE, and only the one that removed it goes on — so every follow-up happens exactly once.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workflows.core.errors import CaseError
from workflows.core.models.cases import CaseEvent, FollowUp
from workflows.core.store import Store
from workflows.engine.step import StepContext
from workflows.people.access import SYSTEM

START, MESSAGE = "start", "message"
log = logging.getLogger("workflows.engine.case_engine")


class AlreadyDelivered(CaseError):
    """Another deliverer took this follow-up first; nothing is left to do."""


def keep_follow_ups(session: Session, step: StepContext) -> list[int]:
    """The step's follow-ups as rows of this transaction; their ids, in the order asked."""
    rows = [FollowUp(origin_case_id=step.case.id, action=START, payload=start, created_at=step.now())
            for start in step.outbox_starts]
    rows += [FollowUp(origin_case_id=step.case.id, action=MESSAGE, created_at=step.now(),
                      payload={"case_id": case_id, "name": name, "payload": payload})
             for case_id, name, payload in step.outbox_messages]
    if not rows:
        return []
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def claim(session: Session, follow_up_id: int) -> None:
    """Take the follow-up in the delivering transaction (its row goes with the commit);
    AlreadyDelivered when another transaction has taken it."""
    removed = session.execute(delete(FollowUp).where(FollowUp.id == follow_up_id))
    if removed.rowcount != 1:
        raise AlreadyDelivered(f"后续事项 {follow_up_id} 已处理")


def read_follow_up(store: Store, follow_up_id: int) -> FollowUp | None:
    with store.read() as session:
        return session.get(FollowUp, follow_up_id)


def waiting_follow_ups(store: Store, limit: int = 200) -> list[int]:
    """Follow-ups still owed, oldest first (left by a crash, or by a lost connection)."""
    with store.read() as session:
        return list(session.scalars(select(FollowUp.id).order_by(FollowUp.id).limit(limit)))


def describe_follow_up(row: FollowUp) -> str:
    payload: dict[str, Any] = row.payload
    if row.action == START:
        return f"start of a {payload.get('kind')} case"
    return f"message {payload.get('name')!r} to case {payload.get('case_id')}"


def drop_refused(store: Store, now: datetime, follow_up_id: int, action: str, wanted: dict[str, Any],
                 err: CaseError) -> None:
    """A follow-up its target refused (the case no longer waits for the message, the subject can
    no longer open a case): the row goes, a refused message is noted on the target's timeline."""
    with store.write() as uow:
        try:
            claim(uow.session, follow_up_id)
        except AlreadyDelivered:
            return
        if action == MESSAGE:
            log.info("case %s did not take %r: %s", wanted["case_id"], wanted["name"], err.message)
            uow.session.add(CaseEvent(case_id=wanted["case_id"], at=now, actor=SYSTEM.username, kind="message_ignored",
                                      summary=f"未处理事件“{wanted['name']}”：{err.message}"[:500]))
        else:
            log.warning("could not start a %s case: %s", wanted["kind"], err.message)
        uow.commit()
