"""Reading a case driven through the engine: its open human tasks."""
from __future__ import annotations

from sqlalchemy import select

from workflows.core.models.cases import HumanTask

from .subjects import COMPANY as SUBJECT


def open_tasks(store, case_id: int) -> list[HumanTask]:
    with store.read() as session:
        return list(session.scalars(select(HumanTask).where(
            HumanTask.case_id == case_id, HumanTask.state == "ready").order_by(HumanTask.created_at)))


__all__ = ["SUBJECT", "open_tasks"]
