"""`/api/v1/admin/departments` and `/api/v1/admin/users`: the credit office's administration."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.web import headers
from workflows.administration.departments import SEAL_MAX_BYTES
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import ApiToken, Department, User

DEPARTMENTS, USERS = "/api/v1/admin/departments", "/api/v1/admin/users"
GOVERNMENT_USCC = "11350500MB0000001N"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _events(store, kind: str) -> list[CaseEvent]:
    with store.read() as session:
        return session.scalars(select(CaseEvent).where(CaseEvent.kind == kind)).all()


def _department(store, code: str) -> Department | None:
    with store.read() as session:
        return session.get(Department, code)


def _user(store, username: str) -> User | None:
    with store.read() as session:
        return session.scalars(select(User).where(User.username == username)).first()


@pytest.fixture
def admin(client, users) -> dict[str, str]:
    return headers(client, "admin1")


def test_department_lifecycle_is_stored_and_audited(client, store, admin):
    made = client.post(DEPARTMENTS, json={"code": "qz-zjj", "name": "泉州市住建局"}, headers=admin)
    assert made.status_code == 201 and made.get_json()["code"] == "QZ-ZJJ"
    assert client.post(DEPARTMENTS, json={"code": GOVERNMENT_USCC, "name": "某机关"}, headers=admin).status_code == 201
    renamed = client.patch(f"{DEPARTMENTS}/QZ-ZJJ", json={"name": "泉州市住房和城乡建设局"}, headers=admin)
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "泉州市住房和城乡建设局"
    issuer = {"issuer_name": "泉州市住房和城乡建设局", "address": "泉州市丰泽区", "phone": "0595-22000001",
              "number_prefixes": {"default": "泉建", "interview_notice": "泉建约"}}
    assert client.put(f"{DEPARTMENTS}/QZ-ZJJ/issuer", json=issuer, headers=admin).status_code == 200
    sealed = client.put(f"{DEPARTMENTS}/QZ-ZJJ/seal", data=PNG, content_type="image/png", headers=admin)
    assert sealed.status_code == 200 and sealed.get_json()["has_seal"] is True
    assert client.post(f"{DEPARTMENTS}/QZ-ZJJ/deactivate", headers=admin).get_json()["active"] is False
    stored = _department(store, "QZ-ZJJ")
    assert (stored.name, stored.active, stored.seal_png, stored.number_prefixes["interview_notice"]) == (
        "泉州市住房和城乡建设局", False, PNG, "泉建约")
    kinds = ["department_created", "department_renamed", "department_issuer_changed", "department_seal_changed",
             "department_deactivated"]
    for kind in kinds:
        events = _events(store, kind)
        assert events and all(e.case_id is None and e.actor == "admin1" for e in events), kind
    listed = client.get(DEPARTMENTS, headers=admin).get_json()["items"]
    assert [d["code"] for d in listed] == [GOVERNMENT_USCC, "QZ-ZJJ"]


@pytest.mark.parametrize("body, status, field", [
    ({"code": "11350500MB0000001X", "name": "某机关"}, 400, "code"),  # check digit wrong
    ({"code": "not a code", "name": "某机关"}, 400, "code"),
    ({"code": "QZ-ZJJ", "name": "  "}, 400, "name"),
    ({"code": 12, "name": "某机关"}, 400, "code"),
])
def test_bad_departments_are_refused_and_change_nothing(client, store, admin, body, status, field):
    response = client.post(DEPARTMENTS, json=body, headers=admin)
    assert response.status_code == status and field in response.get_json()["fields"]
    assert response.get_json()["error"] == "invalid"
    assert client.get(DEPARTMENTS, headers=admin).get_json()["items"] == []
    assert _events(store, "department_created") == []


def test_department_conflicts_missing_ones_and_bad_seals(client, store, admin):
    client.post(DEPARTMENTS, json={"code": "QZ-ZJJ", "name": "住建局"}, headers=admin)
    again = client.post(DEPARTMENTS, json={"code": "QZ-ZJJ", "name": "另一个"}, headers=admin)
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    assert client.patch(f"{DEPARTMENTS}/QZ-NONE", json={"name": "x"}, headers=admin).status_code == 404
    jpeg = client.put(f"{DEPARTMENTS}/QZ-ZJJ/seal", data=b"\xff\xd8\xff" + b"\0" * 10, headers=admin)
    huge = client.put(f"{DEPARTMENTS}/QZ-ZJJ/seal", data=PNG + b"\0" * SEAL_MAX_BYTES, headers=admin)
    assert jpeg.status_code == 400 and "PNG" in jpeg.get_json()["message"]
    assert huge.status_code == 413 and huge.get_json()["error"] == "too_large"
    assert _department(store, "QZ-ZJJ").seal_png is None and _department(store, "QZ-ZJJ").name == "住建局"


def test_user_lifecycle_is_stored_and_audited(client, store, admin):
    client.post(DEPARTMENTS, json={"code": "QZ-ZJJ", "name": "住建局"}, headers=admin)
    body = {"username": "dept2", "password": "a long password 2", "roles": ["department"],
            "department_code": "QZ-ZJJ", "display_name": "住建局 林一"}
    made = client.post(USERS, json=body, headers=admin)
    assert made.status_code == 201 and made.get_json()["display_name"] == "住建局 林一"
    changed = client.patch(f"{USERS}/dept2", json={"roles": ["reviewer"], "display_name": "审核 林一"}, headers=admin)
    assert changed.status_code == 200 and changed.get_json()["roles"] == ["reviewer"]
    assert client.post(f"{USERS}/dept2/disable", headers=admin).get_json()["active"] is False
    assert client.post(f"{USERS}/dept2/enable", headers=admin).get_json()["active"] is True
    reset = client.post(f"{USERS}/dept2/password", json={"password": "temporary pass 3"}, headers=admin)
    assert reset.status_code == 200 and reset.get_json()["must_change_password"] is True
    stored = _user(store, "dept2")
    assert (stored.roles, stored.department_code, stored.display_name) == ("reviewer", None, "审核 林一")
    for kind in ("user_created", "user_updated", "user_disabled", "user_enabled", "password_reset"):
        events = _events(store, kind)
        assert len(events) == 1 and events[0].case_id is None and events[0].actor == "admin1", kind
    assert {u["username"] for u in client.get(USERS, headers=admin).get_json()["items"]} == {
        "admin1", "reviewer1", "dept2"}


@pytest.mark.parametrize("password, message", [
    ("short pw", "密码至少10位"), ("1234567890", "密码过于常见"), ("dept2dept2", "密码不能与用户名相同")])
def test_password_policy_refusals_are_chinese_and_store_nothing(client, store, admin, password, message):
    body = {"username": "dept2dept2", "password": password, "roles": ["reviewer"]}
    response = client.post(USERS, json=body, headers=admin)
    assert response.status_code == 400 and message in response.get_json()["fields"]["password"]
    assert _user(store, "dept2dept2") is None and _events(store, "user_created") == []


@pytest.mark.parametrize("password, message", [
    ("short pw", "密码至少10位"), ("1234567890", "密码过于常见"), ("Reviewer1 ", "密码不能与用户名相同")])
def test_a_reset_follows_the_password_policy(client, store, admin, password, message):
    reset = client.post(f"{USERS}/reviewer1/password", json={"password": password}, headers=admin)
    assert reset.status_code == 400 and message in reset.get_json()["message"]
    assert _user(store, "reviewer1").must_change_password is False and _events(store, "password_reset") == []


def test_user_refusals(client, store, admin):
    taken = client.post(USERS, json={"username": "reviewer1", "password": "a long password", "roles": ["reviewer"]},
                        headers=admin)
    unbound = client.post(USERS, json={"username": "d3", "password": "a long password", "roles": ["department"]},
                          headers=admin)
    ghost = client.post(USERS, json={"username": "d3", "password": "a long password", "roles": ["department"],
                                     "department_code": "QZ-NONE"}, headers=admin)
    assert taken.status_code == 409 and unbound.status_code == 400 and ghost.status_code == 400
    assert "department" in unbound.get_json()["fields"] and "部门 QZ-NONE 不存在" in ghost.get_json()["message"]
    assert client.post(f"{USERS}/admin1/disable", headers=admin).status_code == 409
    assert client.patch(f"{USERS}/nobody", json={"roles": ["reviewer"]}, headers=admin).status_code == 404
    assert client.patch(f"{USERS}/reviewer1", json={"roles": ["boss"]}, headers=admin).status_code == 400
    assert _user(store, "reviewer1").roles == "reviewer" and _user(store, "admin1").active


def test_deactivated_department_takes_no_new_users(client, admin):
    client.post(DEPARTMENTS, json={"code": "QZ-ZJJ", "name": "住建局"}, headers=admin)
    client.post(f"{DEPARTMENTS}/QZ-ZJJ/deactivate", headers=admin)
    body = {"username": "d4", "password": "a long password", "roles": ["department"], "department_code": "QZ-ZJJ"}
    response = client.post(USERS, json=body, headers=admin)
    assert response.status_code == 400 and "已停用" in response.get_json()["message"]


def test_disabling_and_resetting_revoke_tokens(client, store, admin):
    reviewer = headers(client, "reviewer1")
    client.post(f"{USERS}/reviewer1/disable", headers=admin)
    assert client.get("/api/v1/tasks", headers=reviewer).status_code == 401
    client.post(f"{USERS}/reviewer1/enable", headers=admin)
    client.post(f"{USERS}/reviewer1/password", json={"password": "temporary pass 3"}, headers=admin)
    refused = client.post("/api/v1/auth/token", json={"username": "reviewer1", "password": "temporary pass 3"})
    assert refused.status_code == 403 and "修改密码" in refused.get_json()["message"]
    reviewer_id = _user(store, "reviewer1").id
    with store.read() as session:
        assert session.scalars(select(ApiToken).where(ApiToken.user_id == reviewer_id)).all() == []


def test_non_admins_get_403_and_nothing_changes(client, store, users):
    reviewer = headers(client, "reviewer1")
    for method, path, body in [("get", DEPARTMENTS, None), ("post", DEPARTMENTS, {"code": "QZ-ZJJ", "name": "x"}),
                               ("get", USERS, None), ("post", f"{USERS}/admin1/disable", None),
                               ("post", f"{USERS}/admin1/password", {"password": "a long password"})]:
        response = getattr(client, method)(path, json=body, headers=reviewer)
        assert response.status_code == 403 and response.get_json()["error"] == "forbidden", path
    assert client.get(DEPARTMENTS).status_code == 401
    assert _department(store, "QZ-ZJJ") is None and _user(store, "admin1").active


def test_admin_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/admin/departments", "/api/v1/admin/departments/{code}/seal", "/api/v1/admin/users",
            "/api/v1/admin/users/{username}/password"} <= set(paths)
