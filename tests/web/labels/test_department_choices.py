"""Department codes are chosen from the registered departments, never typed (issue 17): the
record form, the user form and the commitment import offer a select of the registry; removing a
calendar override or a year's confirmation asks first."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.support.web import PASSWORD, login
from workflows.people.subjects import register_department
from workflows.people.users import create_user


@pytest.fixture
def admin(store, clock, world) -> str:
    with store.write() as uow:
        register_department(uow.session, "QZ-STHJ", "泉州市生态环境局")
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now(), display_name="王管理")
        uow.commit()
    return "admin1"


def select_options(page: str, name: str) -> dict[str, str]:
    """value -> label of the <select name=...> on the page (fails if the field is a text input)."""
    assert not re.search(rf'<input[^>]*name="{name}"', page), f"{name} is typed"
    body = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', body))


@pytest.mark.parametrize("path,name", [("/records/new", "department_code"), ("/admin/users", "department_code"),
                                       ("/admin/users/dept1", "department_code"), ("/commitments/import", "department")])
def test_department_is_a_select_of_the_registry(client, admin, path, name):
    login(client, admin)
    page = client.get(path).get_data(as_text=True)
    options = select_options(page, name)
    assert options["QZ-SCJG"] == "泉州市市场监督管理局（QZ-SCJG）" and options["QZ-STHJ"] == "泉州市生态环境局（QZ-STHJ）"
    assert "" in options and not re.fullmatch(r"[A-Za-z ]*", options[""])  # the blank choice says something in Chinese


def test_the_user_form_keeps_the_chosen_department(client, admin):
    login(client, admin)
    page = client.get("/admin/users/dept1").get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="QZ-SCJG"|<option[^>]*value="QZ-SCJG"[^>]*selected', page)


def test_removals_on_the_calendar_ask_first(client, admin, clock):
    day = (clock.now() + timedelta(days=2)).date().isoformat()
    login(client, admin)
    client.post("/admin/calendar", data={"day": day, "kind": "working", "note": "补班"})
    page = client.get("/admin/calendar").get_data(as_text=True)
    form = re.search(r'<form[^>]*class="remove-override"[^>]*>', page, re.S).group(0)
    assert f'data-confirm="确定撤销 {day} 的日历调整吗？' in form
