"""Records over HTTP: create (201/400/403), read (staff, own subject, 404), subjects, 逢办必查 check."""
from __future__ import annotations

from workflows import records
from workflows.core.models.people import Department

from tests.support.records import COMPANY, make_case, record_data, stored
from tests.support.subjects import OTHER
from tests.support.web import PASSWORD, headers
from workflows.people.users import create_user


def post(client, username: str, **changes):
    return client.post("/api/v1/records", json=record_data(**changes), headers=headers(client, username))


def test_create_returns_the_record_with_window_measures_and_history(client, people, store):
    response = post(client, "admin1", severity="serious", sector="fire")
    body = response.get_json()
    assert response.status_code == 201, body
    assert (body["subject_code"], body["kind"], body["regime"], body["publicity_status"]) == (
        COMPANY, "penalty", "order36", "public")
    assert (body["publicity_start"], body["publicity_min_end"], body["publicity_max_end"]) == (
        "2026-05-10", "2027-05-10", "2029-05-10")
    assert [m["state"] for m in body["measures"]] == ["active", "active"]
    assert [(h["action"], h["actor"]) for h in body["history"]] == [("created", "admin1")]
    again = client.get(f"/api/v1/records/{body['id']}", headers=headers(client, "reviewer1")).get_json()
    assert again == body


BAD_INPUT = [
    ({"subject_code": "91350100M00010OY43"}, "subject_code", "第15位字符“O”不合法：统一社会信用代码不使用 I、O、S、V、Z"),
    ({"subject_code": "91350100M000100Y44"}, "subject_code", "校验位不符：第18位应为3"),
    ({"decision_no": ""}, "decision_no", "请填写决定书文号"),
    ({"facts": None}, "facts", "请填写失信行为事实"),
    ({"decision_date": "2026-10-01"}, "decision_date", "决定日期不能晚于今天（2026-09-30）"),
    ({"decision_date": "2026-02-30"}, "decision_date", "决定日期格式不正确，应为 2026-09-30 的形式"),
    ({"kind": "interview_record"}, "kind", "信息类别“interview_record”不正确，应为：penalty（行政处罚）、"
     "serious_list（严重失信主体名单）、key_attention（重点关注名单）、breach（违诺记录）"),
    ({"measures": "限制"}, "measures", "惩戒措施应为列表"),
    ({"fine_amount": "1.234"}, "fine_amount", "罚款金额最多保留两位小数（单位：元）"),
]


def test_bad_input_is_400_with_chinese_messages_and_stores_nothing(client, people, store):
    for changes, field, message in BAD_INPUT:
        response = post(client, "admin1", **changes)
        body = response.get_json()
        assert response.status_code == 400 and body["error"] == "invalid", changes
        assert body["message"] == "信用记录信息不完整或不正确"
        assert body["fields"] == {field: message}
    assert stored(store) == 0


def test_missing_fields_and_non_json_bodies(client, people, store):
    auth = headers(client, "admin1")
    empty = client.post("/api/v1/records", json={}, headers=auth).get_json()
    assert set(empty["fields"]) >= {"subject_code", "kind", "severity", "decision_no", "decision_date",
                                    "department_code", "department_name", "facts", "basis", "content"}
    assert client.post("/api/v1/records", data="x", headers=auth).status_code == 400
    assert post(client, "admin1").status_code == 201
    duplicate = post(client, "admin1")
    assert duplicate.status_code == 409 and duplicate.get_json()["fields"] == {"decision_no": "文号重复"}
    assert stored(store) == 1


def test_department_officers_record_only_their_own_decisions(client, people, store):
    refused = post(client, "dept1", department_code="XM-YJ", department_name="厦门市应急管理局")
    assert refused.status_code == 403 and refused.get_json()["fields"]["department_code"].endswith("QZ-SCJG")
    data = record_data()
    del data["department_code"], data["department_name"]
    own = client.post("/api/v1/records", json=data, headers=headers(client, "dept1"))
    assert own.status_code == 201
    assert (own.get_json()["department_code"], own.get_json()["department_name"]) == ("QZ-SCJG", "泉州市市场监督管理局")
    for username in ("reviewer1", "applicant1"):
        assert post(client, username, decision_no="X").status_code == 403
    assert client.post("/api/v1/records", json=record_data()).status_code == 401
    assert stored(store) == 1


def test_applicants_see_only_their_own_subject(client, people):
    record_id = post(client, "admin1").get_json()["id"]
    own = client.get(f"/api/v1/records/{record_id}", headers=headers(client, "applicant1"))
    assert own.status_code == 200 and own.get_json()["decision_no"] == "泉市监罚〔2026〕12号"
    other = client.get(f"/api/v1/records/{record_id}", headers=headers(client, "applicant2"))
    assert other.status_code == 404 and other.get_json()["error"] == "not_found"
    assert client.get("/api/v1/records/999", headers=headers(client, "reviewer1")).status_code == 404
    subject = client.get(f"/api/v1/subjects/{COMPANY}", headers=headers(client, "applicant1")).get_json()
    assert subject["name"] == "泉州市清源食品有限公司" and [r["id"] for r in subject["records"]] == [record_id]
    assert client.get(f"/api/v1/subjects/{COMPANY}", headers=headers(client, "applicant2")).status_code == 404
    assert client.get(f"/api/v1/subjects/{OTHER}", headers=headers(client, "reviewer1")).get_json()["records"] == []
    bad = client.get("/api/v1/subjects/12345", headers=headers(client, "reviewer1"))
    assert bad.status_code == 400 and "实际为5位" in bad.get_json()["message"]


def test_check_before_and_after_suspension(client, people, store, clock):
    record_id = post(client, "admin1").get_json()["id"]
    auth = headers(client, "applicant1")  # the subject's own account may check it
    before = client.get(f"/api/v1/check/{COMPANY}", headers=auth).get_json()
    assert [(m["record_id"], m["name"]) for m in before["active_measures"]] == [
        (record_id, "限制参加政府采购"), (record_id, "列为重点监管对象")]
    assert before["suspended_measures"] == [] and before["name"] == "泉州市清源食品有限公司"
    case_id = make_case(store, clock)
    with store.write() as uow:
        records.suspend_record(uow.session, records.lock_record(uow.session, record_id), "reviewer1",
                               clock.now(), case_id, "当事人提出异议")
        uow.commit()
    during = client.get(f"/api/v1/check/{COMPANY}", headers=auth).get_json()
    assert during["active_measures"] == []
    assert {(m["record_decision_no"], m["case_id"]) for m in during["suspended_measures"]} == {
        ("泉市监罚〔2026〕12号", case_id)}
    assert all("当事人提出异议" in m["reason"] for m in during["suspended_measures"])
    with store.write() as uow:
        records.resume_record(uow.session, records.lock_record(uow.session, record_id), "reviewer1",
                              clock.now(), case_id)
        uow.commit()
    after = client.get(f"/api/v1/check/{COMPANY}", headers=auth).get_json()
    assert len(after["active_measures"]) == 2 and after["suspended_measures"] == []
    bad = client.get("/api/v1/check/91350100M000100Y44", headers=auth)
    assert bad.status_code == 400 and bad.get_json()["message"] == "校验位不符：第18位应为3"
    assert client.get(f"/api/v1/check/{COMPANY}").status_code == 401
    stranger = client.get(f"/api/v1/check/{COMPANY}", headers=headers(client, "applicant2"))
    assert stranger.status_code == 403 and "泉州" not in stranger.get_data(as_text=True)
    assert client.get("/api/v1/check/11010519491231002X", headers=auth).status_code == 403
    with store.write() as uow:
        create_user(uow.session, "exchange1", PASSWORD, ["integration"], clock.now())
        uow.commit()
    system = headers(client, "exchange1")  # another government system: any subject, names masked
    unknown = client.get("/api/v1/check/11010519491231002X", headers=system).get_json()
    assert unknown == {"code": "1101**********002X", "name": None, "active_measures": [], "suspended_measures": []}
    staff = client.get(f"/api/v1/check/{COMPANY}", headers=headers(client, "reviewer1")).get_json()
    assert staff["name"] == "泉州市清源食品有限公司"


def test_list_search_and_pages(client, people):
    for number in range(3):
        post(client, "admin1", decision_no=f"泉市监罚〔2026〕{number}号")
    auth = headers(client, "reviewer1")
    first = client.get("/api/v1/records?limit=2&q=清源", headers=auth).get_json()
    assert [r["decision_no"] for r in first["items"]] == ["泉市监罚〔2026〕2号", "泉市监罚〔2026〕1号"]
    rest = client.get(f"/api/v1/records?limit=2&cursor={first['next_cursor']}", headers=auth).get_json()
    assert [r["decision_no"] for r in rest["items"]] == ["泉市监罚〔2026〕0号"] and rest["next_cursor"] is None
    assert client.get("/api/v1/records?status=revoked", headers=auth).get_json()["items"] == []
    post(client, "admin1", subject_code="11010519491231002X", subject_name="张三")
    [person] = client.get("/api/v1/records?q=张三", headers=auth).get_json()["items"]
    assert person["subject_code"] == "1101**********002X"  # lists mask ID numbers (DOMAIN.md §E)
    assert client.get("/api/v1/records", headers=headers(client, "applicant1")).status_code == 403


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/records", "/api/v1/records/{record_id}", "/api/v1/subjects/{code}",
            "/api/v1/check/{code}"} <= set(paths)
    assert sorted(paths["/api/v1/records"]["post"]["x-roles"]) == ["admin", "client_records", "department"]


def test_an_unregistered_or_inactive_department_is_422_and_stores_nothing(client, people, store):
    for code in ("QZ-NOSUCH", "QZ-OLD"):
        if code == "QZ-OLD":
            with store.write() as uow:
                uow.session.add(Department(code="QZ-OLD", name="已撤销的局", active=False))
                uow.commit()
        response = post(client, "admin1", department_code=code)
        body = response.get_json()
        assert response.status_code == 422 and body["fields"] == {"department_code": "认定部门未登记"}, body
        assert "认定部门未登记" in body["message"]
    assert stored(store) == 0
