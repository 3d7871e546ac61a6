"""Letter operations for the API: permission, one transaction (numbering is gap-free in it)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from workflows.archive.issuing import checked_context, issue_letter, reissue_letter
from workflows.core.limits import bounded_document
from workflows.core.store import Store
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
