"""Saved personal filters: a user names a search and picks it again from a list."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from workflows.core.errors import InvalidInput, NotFound
from workflows.core.limits import text_field
from workflows.core.models.worklists import SavedFilter
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.permissions import require

from .cases import CaseSearch

NAME_LENGTH = 40
PER_USER = 30


def saved_filters(store: Store, actor: Actor) -> list[SavedFilter]:
    """The actor's own filters, by name."""
    with store.read() as session:
        return list(session.scalars(select(SavedFilter).where(SavedFilter.username == actor.username)
                                    .order_by(SavedFilter.name)))


def save_filter(store: Store, actor: Actor, name: str, wanted: CaseSearch, now: datetime) -> SavedFilter:
    """Save (or overwrite, by name) the actor's search; at most PER_USER filters each."""
    require(actor, "may_use_desk", "只有工作人员可以保存筛选条件")
    name = text_field(name, "name", "筛选名称", NAME_LENGTH, required=True)
    query = wanted.as_query()
    if not query:
        raise InvalidInput("请先输入搜索内容或选择筛选条件", {"name": "没有可保存的条件"})
    with store.write() as uow:
        mine = select(SavedFilter).where(SavedFilter.username == actor.username)
        row = uow.session.scalars(mine.where(SavedFilter.name == name)).first()
        if row is None:
            count = uow.session.scalar(select(func.count()).select_from(mine.subquery()))
            if count >= PER_USER:
                raise InvalidInput(f"最多保存{PER_USER}个筛选条件", {"name": "请先删除不用的筛选条件"})
            row = SavedFilter(username=actor.username, name=name, query=query, created_at=now)
            uow.session.add(row)
        else:
            row.query = query
        uow.commit()
        return row


def delete_filter(store: Store, actor: Actor, filter_id: int) -> None:
    """Only one's own filter; another user's is not found (no existence leak)."""
    with store.write() as uow:
        done = uow.session.execute(delete(SavedFilter).where(SavedFilter.id == filter_id,
                                                             SavedFilter.username == actor.username))
        if done.rowcount == 0:
            raise NotFound("筛选条件不存在")
        uow.commit()
