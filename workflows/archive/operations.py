"""Letter operations for the API: permission, one transaction (numbering is gap-free in it)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from workflows.archive.issuing import TO_RENDER, checked_context, issue_letter, reissue_letter
from workflows.core.errors import Conflict, NotFound
from workflows.core.models.cases import CaseEvent
from workflows.core.models.letters import PENDING, Letter
from workflows.core.limits import bounded_document
from workflows.core.store import Store, hand_over
from workflows.engine.case_view import letter_document, readable_case, readable_letter
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require


def preview_context(letter_type: Any, context: Any, now: datetime, public_url: str, number: str) -> dict[str, Any]:
    """A draft's context, checked as an issued letter's would be (no number is taken)."""
    bounded_document(context, "context", "文书数据")
    return checked_context(str(letter_type), context, now, public_url, number=number)


def issue_on_case(store: Store, actor: Actor, case_id: int, letter_type: str, context: dict[str, Any],
                  now: datetime, public_url: str) -> dict[str, Any]:
    """Number, render and archive a letter on a case the actor may read; returns its metadata.

    Unless the context names its issuer, the letter goes out in the name of the officer's own
    department (staff of the credit office, who have none or the office's: the credit office)."""
    require(actor, "may_issue_letters")
    bounded_document(context, "context", "文书数据")  # rendered inside the transaction: its size is lock time
    with store.write() as uow:
        case = readable_case(uow.session, actor, case_id)
        letter = issue_letter(uow.session, letter_type, context, actor=actor.username, now=now,
                              public_url=public_url, case_id=case.id, decided_by=actor.department_code)
        names = display_names(uow.session, [letter.issued_by])
        uow.commit()
    return letter_document(letter, names)


def reissue(store: Store, actor: Actor, letter_id: int, changes: dict[str, Any], now: datetime,
            public_url: str) -> dict[str, Any]:
    """A corrected letter under a new number; the old one is kept and verifies as superseded."""
    require(actor, "may_issue_letters")
    bounded_document(changes, "changes", "更正内容")
    with store.write() as uow:
        readable_letter(uow.session, actor, letter_id)
        letter = reissue_letter(uow.session, letter_id, changes, actor=actor.username, now=now,
                                public_url=public_url)
        names = display_names(uow.session, [letter.issued_by])
        uow.commit()
    return letter_document(letter, names)


def retry_rendering(store: Store, actor: Actor, letter_id: int, now: datetime) -> dict[str, Any]:
    """An admin's "try again now" for a pending letter (after fixing what made it fail): due at
    once and handed to the workers on commit, instead of waiting for its backed-off next attempt.
    The attempt itself is the ordinary `render_letter`; the request is audited."""
    require(actor, "may_retry_letter_rendering")
    with store.write() as uow:
        row = uow.session.execute(select(Letter.id, Letter.status, Letter.number, Letter.case_id,
                                         Letter.render_attempts).where(Letter.id == letter_id)).first()
        if row is None:
            raise NotFound(f"文书 {letter_id} 不存在")
        if row.status != PENDING:
            raise Conflict(f"文书 {row.number} 已生成，无需重试")
        uow.session.execute(update(Letter).where(Letter.id == letter_id, Letter.status == PENDING)
                            .values(next_render_at=now))
        uow.session.add(CaseEvent(case_id=row.case_id, at=now, actor=actor.username, kind="letter_render_retried",
                                  summary=f"管理员要求立即重新生成文书 {row.number}（此前失败 {row.render_attempts} 次）",
                                  after={"letter_id": letter_id, "attempts": row.render_attempts}))
        hand_over(uow.session, TO_RENDER, letter_id)
        uow.commit()
    return {"id": letter_id, "number": row.number, "status": PENDING, "next_render_at": now}
