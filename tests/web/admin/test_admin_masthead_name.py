"""A department's 发文机关标志 (`masthead_name`, its 规范化简称) beside its issuer details: the
`/admin/departments/<code>` form and its API twin set and clear it, refuse more than 60
characters with the Chinese message under the field, and audit the change."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from tests.support.web import headers, login, page
from workflows.administration.departments import MASTHEAD_MAX
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department

FULL = "泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局经济技术开发区分局）"
SHORT = "泉州市市场监管局经开区分局"
TOO_LONG = "某" * (MASTHEAD_MAX + 1)
REFUSAL = f"发文机关标志不超过{MASTHEAD_MAX}个字"
DEPARTMENTS = "/api/v1/admin/departments"


def _stored(store) -> str:
    with store.read() as session:
        return session.get(Department, "QZ-ZJJ").masthead_name


def _changes(store) -> list[tuple[object, object]]:
    with store.read() as session:
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "department_issuer_changed")
                                 .order_by(CaseEvent.id)).all()
        return [((e.before or {}).get("masthead_name"), (e.after or {}).get("masthead_name")) for e in events]


def _form(masthead: str) -> dict[str, str]:
    return {"issuer_name": FULL, "masthead_name": masthead, "address": "丰泽区", "phone": "0595-1",
            "prefixes": "default=泉市监"}


@pytest.fixture
def admin(client, users):
    login(client, "admin1")
    client.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "经开区分局"})
    return client


def test_the_form_sets_shows_and_clears_the_masthead_name(admin, store):
    assert admin.post("/admin/departments/QZ-ZJJ/issuer", data=_form(f"  {SHORT} ")).status_code == 302
    assert _stored(store) == SHORT
    shown = page(admin, "/admin/departments/QZ-ZJJ")
    assert "发文机关标志" in shown and f'value="{SHORT}"' in shown and f'maxlength="{MASTHEAD_MAX}"' in shown
    assert admin.post("/admin/departments/QZ-ZJJ/issuer", data=_form("")).status_code == 302
    assert _stored(store) == ""
    assert _changes(store) == [("", SHORT), (SHORT, "")]


def test_the_form_refuses_61_characters_under_the_field_and_keeps_the_input(admin, store):
    admin.post("/admin/departments/QZ-ZJJ/issuer", data=_form(SHORT))
    refused = admin.post("/admin/departments/QZ-ZJJ/issuer", data=_form(TOO_LONG))
    assert refused.status_code == 400
    text = html.unescape(refused.get_data(as_text=True))
    field = text.index('id="masthead_name"')
    assert f'value="{TOO_LONG}"' in text[text.rindex("<input", 0, field):field + 400]
    assert text.index(REFUSAL, field) < text.index('id="address"') and f'value="{FULL}"' in text
    assert _stored(store) == SHORT and _changes(store) == [("", SHORT)]


def test_the_api_twin_sets_refuses_and_clears_it(client, users, store):
    admin = headers(client, "admin1")
    client.post(DEPARTMENTS, json={"code": "QZ-ZJJ", "name": "经开区分局"}, headers=admin)
    body = {"issuer_name": FULL, "masthead_name": SHORT, "number_prefixes": {"default": "泉市监"}}
    saved = client.put(f"{DEPARTMENTS}/QZ-ZJJ/issuer", json=body, headers=admin)
    assert saved.status_code == 200 and saved.get_json()["masthead_name"] == SHORT
    assert saved.get_json()["issuer_name"] == FULL
    refused = client.put(f"{DEPARTMENTS}/QZ-ZJJ/issuer", json={**body, "masthead_name": TOO_LONG}, headers=admin)
    assert refused.status_code == 400 and refused.get_json()["fields"]["masthead_name"] == REFUSAL
    not_text = client.put(f"{DEPARTMENTS}/QZ-ZJJ/issuer", json={**body, "masthead_name": 7}, headers=admin)
    assert not_text.status_code == 400 and "masthead_name" in not_text.get_json()["fields"]
    listed = client.get(DEPARTMENTS, headers=admin).get_json()["items"]
    assert [d["masthead_name"] for d in listed if d["code"] == "QZ-ZJJ"] == [SHORT]
    cleared = client.put(f"{DEPARTMENTS}/QZ-ZJJ/issuer", json={**body, "masthead_name": ""}, headers=admin)
    assert cleared.status_code == 200 and cleared.get_json()["masthead_name"] == ""
    assert _stored(store) == "" and _changes(store) == [("", SHORT), (SHORT, "")]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "masthead_name" in str(spec)
