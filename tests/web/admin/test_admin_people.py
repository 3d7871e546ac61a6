"""`/admin/departments` and `/admin/users`: the HTML twins, and the forced password change."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.support.web import PASSWORD, login, page
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _user(store, username: str) -> User | None:
    with store.read() as session:
        return session.scalars(select(User).where(User.username == username)).first()


def _kinds(store) -> list[str]:
    with store.read() as session:
        return [e.kind for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id.is_(None)))]


@pytest.fixture
def admin(client, users):
    login(client, "admin1")
    return client


def test_admin_registers_renames_and_deactivates_a_department(admin, store):
    made = admin.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "住建局"}, follow_redirects=True)
    assert made.status_code == 200 and "部门 QZ-ZJJ 已登记" in made.get_data(as_text=True)
    admin.post("/admin/departments/QZ-ZJJ/rename", data={"name": "泉州市住房和城乡建设局"})
    admin.post("/admin/departments/QZ-ZJJ/issuer", data={
        "issuer_name": "泉州市住房和城乡建设局", "address": "丰泽区", "phone": "0595-1",
        "prefixes": "default=泉建\ninterview_notice=泉建约"})
    sealed = admin.post("/admin/departments/QZ-ZJJ/seal", data={"seal": (io.BytesIO(PNG), "seal.png")},
                        content_type="multipart/form-data")
    assert sealed.status_code == 302
    admin.post("/admin/departments/QZ-ZJJ/deactivate")
    with store.read() as session:
        stored = session.get(Department, "QZ-ZJJ")
    assert (stored.name, stored.active, stored.seal_png) == ("泉州市住房和城乡建设局", False, PNG)
    assert stored.number_prefixes == {"default": "泉建", "interview_notice": "泉建约"}
    assert _kinds(store) == ["department_created", "department_renamed", "department_issuer_changed",
                             "department_seal_changed", "department_deactivated"]
    listing = page(admin, "/admin/departments")
    assert "泉州市住房和城乡建设局" in listing and "已停用" in listing


def test_department_form_refusals_show_chinese_messages(admin, store):
    bad = admin.post("/admin/departments", data={"code": "11350500MB0000001X", "name": "某机关"})
    assert bad.status_code == 400 and "校验位" in bad.get_data(as_text=True)
    local = admin.post("/admin/departments", data={"code": "bad code!", "name": "某机关"})
    assert local.status_code == 400 and "本地部门代码规则" in local.get_data(as_text=True)
    admin.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "住建局"})
    again = admin.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "住建局"})
    assert again.status_code == 400 and "部门 QZ-ZJJ 已存在" in again.get_data(as_text=True)
    jpeg = admin.post("/admin/departments/QZ-ZJJ/seal", data={"seal": (io.BytesIO(b"\xff\xd8\xff"), "seal.png")},
                      content_type="multipart/form-data")
    assert jpeg.status_code == 400 and "印章图片必须是PNG格式" in jpeg.get_data(as_text=True)
    assert _kinds(store) == ["department_created"]


def test_admin_creates_edits_disables_and_lists_users(admin, store):
    admin.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "住建局"})
    made = admin.post("/admin/users", data={"username": "dept2", "display_name": "住建局 林一",
                                            "password": "a long password", "roles": ["department"],
                                            "department_code": "QZ-ZJJ"}, follow_redirects=True)
    listing = made.get_data(as_text=True)
    assert "用户 dept2 已创建" in listing and "住建局 林一" in listing and "王管理" in listing
    admin.post("/admin/users/dept2", data={"display_name": "审核 林一", "roles": ["reviewer", "supervisor"]})
    admin.post("/admin/users/dept2/disable")
    stored = _user(store, "dept2")
    assert (stored.roles, stored.department_code, stored.active) == ("reviewer,supervisor", None, False)
    assert "审核 林一" in page(admin, "/admin/users")
    assert _kinds(store)[-3:] == ["user_created", "user_updated", "user_disabled"]


@pytest.mark.parametrize("password, message", [
    ("short", "密码至少10位"), ("password123", "密码过于常见"), ("newuser123", "密码不能与用户名相同")])
def test_user_form_applies_the_password_policy(admin, store, password, message):
    response = admin.post("/admin/users", data={"username": "newuser123", "password": password, "roles": ["reviewer"]})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _user(store, "newuser123") is None


def test_a_reset_password_must_be_changed_before_anything_else(client, admin, store):
    reset = admin.post("/admin/users/reviewer1/password", data={"password": "temporary pw 1"})
    assert reset.status_code == 302 and _user(store, "reviewer1").must_change_password
    assert "password_reset" in _kinds(store)
    admin.post("/logout")
    assert login(client, "reviewer1", PASSWORD).status_code == 200  # the old password is gone
    login(client, "reviewer1", "temporary pw 1")
    for path in ("/desk/", "/records/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/password"), path
    api = client.get("/api/v1/tasks")
    assert api.status_code == 403 and api.get_json()["error"] == "password_change_required"
    assert "管理员已重置您的密码" in page(client, "/account/password")
    weak = client.post("/account/password", data={"current": "temporary pw 1", "password": "1234567890",
                                                  "confirm": "1234567890"})
    assert weak.status_code == 400 and "密码过于常见" in weak.get_data(as_text=True)
    wrong = client.post("/account/password", data={"current": "nope nope", "password": "my own pass 7",
                                                   "confirm": "my own pass 7"})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    done = client.post("/account/password", data={"current": "temporary pw 1", "password": "my own pass 7",
                                                  "confirm": "my own pass 7"})
    assert done.status_code == 302 and client.get("/desk/").status_code == 200
    assert _user(store, "reviewer1").must_change_password is False
    assert _kinds(store)[-1] == "password_changed"


@pytest.mark.parametrize("path", ["/admin/departments", "/admin/users", "/admin/users/admin1"])
def test_non_admins_get_403(client, users, store, path):
    login(client, "reviewer1")
    assert client.get(path).status_code == 403
    assert client.post("/admin/users/admin1/disable").status_code == 403
    assert client.post("/admin/departments", data={"code": "QZ-ZJJ", "name": "x"}).status_code == 403
    assert _user(store, "admin1").active and _kinds(store) == []
