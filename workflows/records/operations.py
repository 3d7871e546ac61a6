"""Record operations for the pages and the API: each opens its own transaction and commits once."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from workflows.core.store import Store
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor

from .access import scoped_to_department
from .documents import full_record_document
from .service import create_record


def register_record(store: Store, rules: RuleBook, actor: Actor, data: dict[str, Any], now: datetime,
                    *, source: str = "api") -> dict[str, Any]:
    """Create a record in the actor's department scope; returns its full document (id, number…)."""
    with store.write() as uow:
        scoped = scoped_to_department(uow.session, actor, data)
        record = create_record(uow.session, rules, scoped, actor.username, now, source=source)
        document = full_record_document(uow.session, record, show_personal=True)
        uow.commit()
    return document
