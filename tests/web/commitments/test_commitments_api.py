"""Commitments over the API: the register (staff, masked, paged, department scope), one commitment
(staff; the subject itself; 404 otherwise), the dashboard, and the public listing without a token."""
from __future__ import annotations

from tests.support.commitments import PERSON, PERSON_MASKED, add, commitment
from tests.support.web import bearer, token_for


def get(client, path: str, username: str | None = None):
    headers = bearer(token_for(client, username)) if username else {}
    return client.get(path, headers=headers)


def test_register_is_paged_masked_and_scoped(client, people, store, crafted):
    add(store, commitment(code="350500202609010000P1", department="QZ-ZJ", subject_code=PERSON,
                          subject_name="张三", subject_category="自然人"))
    first = get(client, "/api/v1/commitments?limit=4", "reviewer1").get_json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    assert first["items"][0]["subject_code"] == PERSON_MASKED and PERSON not in str(first)
    token = token_for(client, "reviewer1")
    codes, cursor = [], None
    while True:
        body = client.get("/api/v1/commitments?limit=4" + (f"&cursor={cursor}" if cursor else ""),
                          headers=bearer(token)).get_json()
        codes += [item["code"] for item in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert len(codes) == len(set(codes)) == 11
    overdue = get(client, "/api/v1/commitments?overdue=1", "admin1").get_json()["items"]
    assert [item["code"] for item in overdue] == ["350500202606010000E1", "350500202606010000D1"]
    own = get(client, "/api/v1/commitments?department=QZ-SCJG", "dept2").get_json()["items"]
    assert len(own) == 5 and {item["department_name"] for item in own} == {"泉州市住房和城乡建设局"}
    assert get(client, "/api/v1/commitments?limit=0", "admin1").status_code == 400
    assert get(client, "/api/v1/commitments?cursor=abc", "admin1").status_code == 400
    assert get(client, "/api/v1/commitments", "applicant1").status_code == 403
    assert get(client, "/api/v1/commitments").status_code == 401


def test_one_commitment_for_staff_and_the_subject_itself(client, people, store):
    add(store, commitment(code="350500202609010000P1", subject_code=PERSON, subject_name="张三",
                          subject_category="自然人", disclosure="private"),
        commitment(code="350500202609010000C1", department="QZ-ZJ"))
    staff = get(client, "/api/v1/commitments/350500202609010000P1", "dept1").get_json()
    assert (staff["subject_code"], staff["commitment_type_name"], staff["department_code"], staff["source"]) == (
        PERSON, "审批替代型", "QZ-SCJG", "flow")
    own = get(client, "/api/v1/commitments/350500202609010000P1", "applicant1").get_json()
    assert own["subject_code"] == PERSON and "department_code" not in own  # the national items only
    assert get(client, "/api/v1/commitments/350500202609010000C1", "applicant1").status_code == 404
    assert get(client, "/api/v1/commitments/350500202609010000C1", "dept1").status_code == 404  # other dept
    assert get(client, "/api/v1/commitments/350500202609010000C1", "admin1").status_code == 200
    assert get(client, "/api/v1/commitments/00000000000000000000", "admin1").get_json()["error"] == "not_found"


def test_dashboard_for_staff(client, people, crafted):
    board = get(client, "/api/v1/commitments/dashboard", "admin1").get_json()
    assert (board["total"], board["fulfilment_rate"], board["overdue"]["count"]) == (10, 0.5, 2)
    assert board["overdue"]["items"][0] == {
        "code": "350500202606010000E1", "case_id": None, "subject_name": "泉州市清源食品有限公司",
        "subject_code": "91350100M000100Y43", "commitment_type": "deficiency_acceptance",
        "commitment_type_name": "容缺受理型", "department_code": "QZ-ZJ", "department_name": "泉州市住房和城乡建设局",
        "due_on": "2026-09-01", "days_overdue": 29}
    scoped = get(client, "/api/v1/commitments/dashboard", "dept1").get_json()
    assert (scoped["total"], scoped["department_code"]) == (6, "QZ-SCJG")
    assert get(client, "/api/v1/commitments/dashboard", "applicant1").status_code == 403


def test_public_listing_needs_no_token_and_hides_what_is_not_public(client, people, store):
    add(store,
        commitment(code="350500202609010000P1", subject_code=PERSON, subject_name="张三", subject_category="自然人"),
        commitment(code="350500202609010000R1", disclosure="restricted", subject_code=PERSON, subject_name="张三"),
        commitment(code="350500202609010000X1", disclosure="private"),
        commitment(code="350500202609010000W1", status="withdrawn"))
    body = client.get("/api/v1/public/commitments").get_json()
    assert [item["code"] for item in body["items"]] == ["350500202609010000P1"] and body["next_cursor"] is None
    assert body["items"][0]["subject_code"] == PERSON_MASKED
    assert PERSON not in client.get(f"/api/v1/public/commitments?q={PERSON}").get_data(as_text=True)
    assert client.get("/api/v1/public/commitments?q=350500202609010000R1").get_json()["items"] == []
    assert [i["code"] for i in client.get("/api/v1/public/commitments?q=张").get_json()["items"]] == [
        "350500202609010000P1"]


def test_routes_are_described_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/commitments", "/api/v1/commitments/{code}", "/api/v1/commitments/dashboard",
            "/api/v1/public/commitments"} <= set(paths)
    assert "security" not in paths["/api/v1/public/commitments"]["get"]
    assert sorted(paths["/api/v1/commitments"]["get"]["x-roles"]) == ["admin", "auditor", "department", "reviewer",
                                                                      "supervisor"]  # roles_holding order
