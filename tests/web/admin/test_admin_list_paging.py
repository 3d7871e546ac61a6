"""`/admin/departments` and `/admin/clients` are paged like the other lists: total, previous/next."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.web import login, page
from workflows.core.models.people import ApiClient, Department

EXTRA = 60  # more than one page of 50


@pytest.fixture
def admin(client, users):
    login(client, "admin1")
    return client


def _count(store, model) -> int:
    with store.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _add_departments(store) -> None:
    with store.write() as uow:
        uow.session.add_all(Department(code=f"PG-{n:03d}", name=f"分页部门{n:03d}") for n in range(EXTRA))
        uow.commit()


def _add_clients(store, clock) -> None:
    with store.write() as uow:
        uow.session.add_all(ApiClient(name=f"paging-{n:03d}", scopes="check", token_hash=f"{n:064d}",
                                      token_prefix=f"cc_{n:03d}", created_at=clock.now(),
                                      created_by="admin1") for n in range(EXTRA))
        uow.commit()


def _shown(html: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, html))


@pytest.mark.parametrize("path, add, pattern, model", [
    ("/admin/departments", lambda store, clock: _add_departments(store), r"分页部门\d{3}", Department),
    ("/admin/clients", _add_clients, r"paging-\d{3}", ApiClient),
])
def test_a_long_admin_list_pages_with_total_and_previous_next(admin, store, clock, path, add, pattern, model):
    add(store, clock)
    total = _count(store, model)
    first, second = page(admin, path), page(admin, f"{path}?page=2")
    assert f'data-total="{total}"' in first and f"共 {total} 条" in first
    assert 'id="next-page"' in first and 'id="prev-page"' not in first
    assert 'id="prev-page"' in second and "?page=1" in second
    shown_first, shown_second = _shown(first, pattern), _shown(second, pattern)
    assert len(shown_first) + len(shown_second) == EXTRA and not shown_first & shown_second


@pytest.mark.parametrize("path", ["/admin/departments", "/admin/clients"])
def test_a_bad_page_number_is_refused_in_chinese(admin, path):
    response = admin.get(f"{path}?page=abc")
    assert response.status_code == 400 and "页码应为正整数" in response.get_data(as_text=True)
