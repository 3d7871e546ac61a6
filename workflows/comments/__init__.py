"""Internal comments on a case: notes staff leave each other (issue 17).

Staff only: a comment never reaches the portal nor an applicant through the API. Its text
lives in `case_comment`; the audit log gets a `comment_added` event naming the comment, not
its text, and that event is dropped from the case documents of anyone who may not read comments.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc, to_local
from workflows.core.limits import text_field
from workflows.core.models.cases import CaseEvent
from workflows.core.models.worklists import CaseComment
from workflows.core.store import Store
from workflows.engine.case_view import readable_case
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require

MAX_LENGTH = 2000
EVENT_KIND = "comment_added"


@dataclass(frozen=True)
class Comment:
    id: int
    case_id: int
    author: str
    author_name: str
    body: str
    created_at: datetime

    def document(self) -> dict[str, Any]:
        return {"id": self.id, "case_id": self.case_id, "author": self.author, "author_name": self.author_name,
                "body": self.body, "created_at": to_local(self.created_at).isoformat(timespec="seconds")}


def add_comment(store: Store, actor: Actor, case_id: int, body: Any, now: datetime) -> Comment:
    """Staff who may read the case note something on it; the audit log says who and when."""
    require(actor, "may_comment_cases", "只有工作人员可以添加内部备注")
    text = text_field(body, "body", "备注内容", MAX_LENGTH, required=True)
    with store.write() as uow:
        case = readable_case(uow.session, actor, case_id)
        row = CaseComment(case_id=case.id, author=actor.username, body=text, created_at=as_utc(now))
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(CaseEvent(case_id=case.id, at=as_utc(now), actor=actor.username, kind=EVENT_KIND,
                                  summary="添加内部备注", after={"comment_id": row.id}))
        uow.commit()
        return _comment(row, display_names(uow.session, [row.author]))


def case_comments(store: Store, actor: Actor, case_id: int) -> list[Comment]:
    require(actor, "may_read_comments", "只有工作人员可以查看内部备注")
    with store.read() as session:
        case = readable_case(session, actor, case_id)
        return comments_of(session, case.id)


def comments_of(session: Session, case_id: int) -> list[Comment]:
    """Oldest first, with the authors' names (the caller has checked the reader)."""
    rows = list(session.scalars(select(CaseComment).where(CaseComment.case_id == case_id).order_by(CaseComment.id)))
    names = display_names(session, {row.author for row in rows})
    return [_comment(row, names) for row in rows]


def _comment(row: CaseComment, names: dict[str, str]) -> Comment:
    return Comment(row.id, row.case_id, row.author, names.get(row.author, row.author), row.body, row.created_at)
