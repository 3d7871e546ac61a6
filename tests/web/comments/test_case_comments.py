"""Internal comments on a case: staff write and read them on the desk timeline and through the
API; applicants never see them, neither in the portal nor through the API."""
from __future__ import annotations

import pytest

from tests.support.api_cases import file_request
from tests.support.web import bearer, login, page, token_for

NOTE = "申请人电话说明已缴款，待核对<script>alert(1)</script>"


@pytest.fixture
def case_id(client, make_record) -> int:
    return file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()["id"]


def test_a_reviewers_note_is_on_the_desk_timeline_escaped(client, case_id):
    login(client, "reviewer1")
    answer = client.post(f"/desk/cases/{case_id}/comments", data={"body": NOTE})
    assert answer.status_code == 302
    html = page(client, f"/desk/cases/{case_id}")
    assert "申请人电话说明已缴款" in html and "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'class="mb-1 timeline-comment' in html


def test_notes_are_length_limited_and_required(client, case_id):
    token = token_for(client, "reviewer1")
    for body in ("", "   ", "长" * 2001, 12):
        answer = client.post(f"/api/v1/cases/{case_id}/comments", headers=bearer(token), json={"body": body})
        assert answer.status_code == 400 and "body" in answer.get_json()["fields"], body
    assert client.get(f"/api/v1/cases/{case_id}/comments", headers=bearer(token)).get_json()["items"] == []


def test_staff_read_notes_through_the_api_and_the_audit_log_names_the_author(client, case_id):
    token = token_for(client, "reviewer1")
    added = client.post(f"/api/v1/cases/{case_id}/comments", headers=bearer(token), json={"body": "请科长复核"})
    assert added.status_code == 201 and added.get_json()["author"] == "reviewer1"
    for user in ("supervisor1", "dept1"):
        items = client.get(f"/api/v1/cases/{case_id}/comments", headers=bearer(token_for(client, user))).get_json()["items"]
        assert [c["body"] for c in items] == ["请科长复核"]
    events = client.get(f"/api/v1/cases/{case_id}", headers=bearer(token)).get_json()["events"]
    assert [e["actor"] for e in events if e["kind"] == "comment_added"] == ["reviewer1"]


def test_applicants_never_see_notes(client, case_id):
    reviewer = token_for(client, "reviewer1")
    client.post(f"/api/v1/cases/{case_id}/comments", headers=bearer(reviewer), json={"body": "内部意见：材料存疑"})
    applicant = token_for(client, "applicant1")
    assert client.get(f"/api/v1/cases/{case_id}/comments", headers=bearer(applicant)).status_code == 403
    assert client.post(f"/api/v1/cases/{case_id}/comments", headers=bearer(applicant),
                       json={"body": "我也写"}).status_code == 403
    document = client.get(f"/api/v1/cases/{case_id}", headers=bearer(applicant))
    assert document.status_code == 200
    assert "comment_added" not in {e["kind"] for e in document.get_json()["events"]}
    assert "材料存疑" not in document.get_data(as_text=True)
    login(client, "applicant1")
    portal = page(client, f"/portal/cases/{case_id}")
    assert "材料存疑" not in portal and "内部备注" not in portal


def test_an_officer_of_another_department_cannot_note_on_the_case(client, case_id, other_department):
    answer = client.post(f"/api/v1/cases/{case_id}/comments", headers=bearer(token_for(client, "dept2")),
                         json={"body": "不是我部门的"})
    assert answer.status_code == 404
