"""The menus ask the permission policy: every role sees exactly the areas it may open.

For each demo role (and an integration account), every menu link returns 200 and every area
left out of the menu answers 403 — so no link leads to a refusal and nothing allowed is hidden.
"""
from __future__ import annotations

import re

import pytest

from tests.support.web import login
from webapp.main import AREAS
from workflows.people.demo import DEMO_PASSWORD, load_demo
from workflows.people.users import create_user

ROLES = ("applicant1", "reviewer1", "supervisor1", "dept1", "admin1", "auditor1", "integration1")
MENU_LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"')


@pytest.fixture
def demo(store, clock) -> None:
    with store.write() as uow:
        load_demo(uow.session, clock.now())
        create_user(uow.session, "integration1", DEMO_PASSWORD, ["integration"], clock.now())
        uow.commit()


def menu_of(client) -> set[str]:
    return set(MENU_LINK.findall(client.get("/").get_data(as_text=True)))


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_exactly_the_menus_it_may_open(client, demo, username):
    assert login(client, username, DEMO_PASSWORD).status_code == 302
    menu = menu_of(client)
    for _label, path, _permission in AREAS:
        if path.startswith("/api/"):
            continue  # the OpenAPI link is on the home page only, for every user
        status = client.get(path, follow_redirects=True).status_code
        assert (path in menu) == (status == 200), (username, path, status, sorted(menu))
        assert status in (200, 403), (username, path, status)


def test_menus_differ_by_role(client, demo):
    login(client, "applicant1", DEMO_PASSWORD)
    assert menu_of(client) == {"/portal", "/portal/subjects", "/training"}
    client.post("/logout")
    login(client, "admin1", DEMO_PASSWORD)
    assert {"/desk", "/records", "/warnings", "/admin/calendar", "/admin/departments", "/admin/users",
            "/admin/clients"} <= menu_of(client)
    client.post("/logout")
    login(client, "integration1", DEMO_PASSWORD)
    assert menu_of(client) == set()
