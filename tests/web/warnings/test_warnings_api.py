"""Warnings over HTTP: scoped list with pages, detail, scan (admin), close (department), OpenAPI."""
from __future__ import annotations

from tests.support.warnings import warning_id
from tests.support.web import headers


def test_scan_is_for_the_credit_office_and_idempotent(client, world):
    assert client.post("/api/v1/warnings/scan").status_code == 401
    assert client.post("/api/v1/warnings/scan", headers=headers(client, "dept1")).status_code == 403
    admin = headers(client, "admin1")
    first = client.post("/api/v1/warnings/scan", headers=admin)
    assert first.status_code == 200
    body = first.get_json()
    assert (body["new"], body["updated"], body["unchanged"], body["scan_date"]) == (2, 0, 0, "2026-09-30")
    assert body["thresholds"] == {"penalty_count": 60, "penalty_window_days": 365, "department_count": 3,
                                  "serious_list_count": 2}
    again = client.post("/api/v1/warnings/scan", headers=admin).get_json()
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_list_is_scoped_paged_and_filtered(client, world, store):
    client.post("/api/v1/warnings/scan", headers=headers(client, "admin1"))
    many, listed = warning_id(store, world["many"]), warning_id(store, world["listed"])
    reviewer = headers(client, "reviewer1")
    first = client.get("/api/v1/warnings?limit=1", headers=reviewer).get_json()
    assert [w["id"] for w in first["items"]] == [listed] and first["next_cursor"] == str(listed)
    second = client.get(f"/api/v1/warnings?limit=1&cursor={first['next_cursor']}", headers=reviewer).get_json()
    assert [w["id"] for w in second["items"]] == [many] and second["next_cursor"] is None
    item = second["items"][0]
    assert item["reasons"] == {"department_count": {"count": 3, "threshold": 3, "window_days": 365}}
    assert item["departments"] == ["QZ-SCJG", "XM-HB", "XM-YJ"] and item["evidence_total"] == 3
    assert item["status"] == "open" and item["created_at"].endswith("+08:00")
    mine = client.get("/api/v1/warnings", headers=headers(client, "dept1")).get_json()
    assert [w["id"] for w in mine["items"]] == [many]
    assert client.get("/api/v1/warnings").status_code == 401
    for bad in ("status=pending", "limit=0", "cursor=x"):
        response = client.get(f"/api/v1/warnings?{bad}", headers=reviewer)
        assert response.status_code == 400 and response.get_json()["error"] == "invalid"
    assert client.get("/api/v1/warnings?status=closed", headers=reviewer).get_json()["items"] == []


def test_detail_and_close(client, world, store):
    client.post("/api/v1/warnings/scan", headers=headers(client, "admin1"))
    many, listed = warning_id(store, world["many"]), warning_id(store, world["listed"])
    dept1 = headers(client, "dept1")
    detail = client.get(f"/api/v1/warnings/{many}", headers=dept1).get_json()
    assert detail["subject_code"] == world["many"] and len(detail["records"]) == 3
    assert {"code": "XM-HB", "name": "厦门市生态环境局"} in detail["departments"]
    assert {r["department_code"] for r in detail["records"]} == {"QZ-SCJG", "XM-YJ", "XM-HB"}
    assert set(detail["records"][0]) >= {"decision_no", "decision_date", "kind", "department_name"}
    assert client.get(f"/api/v1/warnings/{listed}", headers=dept1).status_code == 404
    refused = client.post(f"/api/v1/warnings/{many}/close", json={"note": ""}, headers=dept1)
    assert refused.status_code == 400 and refused.get_json()["fields"] == {"note": "必填"}
    assert client.post(f"/api/v1/warnings/{listed}/close", json={"note": "x"}, headers=dept1).status_code == 404
    assert client.post(f"/api/v1/warnings/{many}/close", json={"note": "x"},
                       headers=headers(client, "reviewer1")).status_code == 403
    closed = client.post(f"/api/v1/warnings/{many}/close", json={"note": "已约谈整改"}, headers=dept1)
    assert closed.status_code == 200
    assert (closed.get_json()["status"], closed.get_json()["close_note"]) == ("closed", "已约谈整改")
    assert client.post(f"/api/v1/warnings/{many}/close", json={"note": "again"}, headers=dept1).status_code == 409


def test_openapi_describes_the_warning_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert paths["/api/v1/warnings/scan"]["post"]["x-roles"] == ["admin"]
    assert "department" in paths["/api/v1/warnings"]["get"]["x-roles"]
    assert {"/api/v1/warnings/{warning_id}", "/api/v1/warnings/{warning_id}/close"} <= set(paths)
