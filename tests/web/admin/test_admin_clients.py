"""`/admin/clients`: create a system client and see its token once, rotate, revoke; admins only."""
from __future__ import annotations

import html
import re

import pytest

from tests.support.clients import client_events, stored_clients
from tests.support.subjects import COMPANY
from tests.support.web import bearer, login, page

CHECK = f"/api/v1/check/{COMPANY}"
TOKEN = re.compile(r'<pre class="client-token[^"]*"><code>([^<]+)</code></pre>')


@pytest.fixture
def admin(client, users):
    login(client, "admin1")
    return client


def shown_token(response) -> str:
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert "请立即复制此令牌：它不会再次显示。" in text
    return html.unescape(TOKEN.search(text).group(1))


def test_the_token_is_shown_once_then_rotated_and_revoked(admin, store):
    created = admin.post("/admin/clients", data={"name": "省信用平台", "description": "数据交换",
                                                 "scopes": ["outbox", "check"], "department_code": ""})
    token = shown_token(created)
    assert "系统客户端 省信用平台 已创建。" in created.get_data(as_text=True)
    assert admin.get(CHECK, headers=bearer(token)).status_code == 200
    listing = page(admin, "/admin/clients")
    assert token not in listing and f"{token[:10]}…" in listing and "省信用平台" in listing
    [row] = stored_clients(store)
    rotated = shown_token(admin.post(f"/admin/clients/{row.id}/rotate"))
    assert rotated != token and "原令牌已失效。" in admin.post(f"/admin/clients/{row.id}/rotate").get_data(as_text=True)
    assert admin.get(CHECK, headers=bearer(token)).status_code == 401
    revoked = admin.post(f"/admin/clients/{row.id}/revoke", follow_redirects=True)
    assert "系统客户端 省信用平台 已吊销，其令牌已失效。" in revoked.get_data(as_text=True)
    assert "已吊销" in page(admin, "/admin/clients")
    assert admin.get(CHECK, headers=bearer(rotated)).status_code == 401
    assert [e.kind for e in client_events(store)] == [
        "client_created", "client_token_rotated", "client_token_rotated", "client_revoked"]


def test_records_write_takes_an_active_department(admin, store):
    admin.post("/admin/departments", data={"code": "QZ-SCJG", "name": "泉州市市场监督管理局"})
    form = page(admin, "/admin/clients")
    assert 'value="QZ-SCJG"' in form and 'value="records_write"' in form
    token = shown_token(admin.post("/admin/clients", data={"name": "scjg", "scopes": ["records_write"],
                                                           "department_code": "QZ-SCJG"}))
    assert stored_clients(store)[0].department_code == "QZ-SCJG"
    assert admin.get(CHECK, headers=bearer(token)).status_code == 403


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "scopes": ["check"]}, "请填写客户端名称"),
    ({"name": "x" * 58, "scopes": ["check"]}, "名称不超过 57 个字符。"),
    ({"name": "tax system", "scopes": ["check"]}, "客户端名称只能包含字母、汉字、数字、点、短横线和下划线"),
    ({"name": "tax"}, "请至少选择一项权限范围"),
    ({"name": "tax", "scopes": ["check", "everything"]}, "未知权限范围：everything"),
    ({"name": "tax", "scopes": ["records_write"]}, "写入信用记录的客户端必须绑定部门"),
    ({"name": "taken", "scopes": ["outbox"]}, "客户端名称 taken 已被使用"),
])
def test_bad_input_shows_a_chinese_message_and_stores_nothing(admin, store, data, message):
    shown_token(admin.post("/admin/clients", data={"name": "taken", "scopes": ["check"]}))
    refused = admin.post("/admin/clients", data=data)
    assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert "client-token" not in refused.get_data(as_text=True)
    assert [c.name for c in stored_clients(store)] == ["taken"] and len(client_events(store)) == 1


def test_only_admins_see_and_manage_clients(client, users, store):
    assert client.get("/admin/clients").status_code == 302  # anonymous: to the login page
    login(client, "admin1")
    assert 'href="/admin/clients"' in page(client, "/")
    shown_token(client.post("/admin/clients", data={"name": "tax", "scopes": ["check"]}))
    client.post("/logout")
    login(client, "reviewer1")
    assert 'href="/admin/clients"' not in page(client, "/")
    client_id = stored_clients(store)[0].id
    assert client.get("/admin/clients").status_code == 403
    assert client.post("/admin/clients", data={"name": "x", "scopes": ["check"]}).status_code == 403
    assert client.post(f"/admin/clients/{client_id}/rotate").status_code == 403
    assert client.post(f"/admin/clients/{client_id}/revoke").status_code == 403
    assert [c.active for c in stored_clients(store)] == [True] and len(stored_clients(store)) == 1
