"""The desk case page for a repair: request, commitment, records, diagram, decision form."""
from __future__ import annotations

import re

from tests.support.api_cases import file_request
from tests.support.web import login, token_for


def _form_task(page: str) -> str:
    return re.search(r'/desk/tasks/([0-9a-f-]+)/complete', page).group(1)


def test_case_page_shows_the_request_forwards_and_the_department_decides(client, make_record):
    """Received today (Order 36): the office's 本级审核 forwards, the department decides in the desk."""
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert "已缴清罚款并完成整改" in page and "依法诚信经营" in page  # request + commitment text
    assert "限制参加政府采购" in page and "公示中" in page  # the record and its measure
    assert 'data-element-id="first_review"' in page and "state-current" in page  # diagram
    assert 'id="decision-forward"' in page and 'id="decision-approve"' not in page  # it forwards, not decides
    assert "信用办本级审核时限 2026-10-08" in page and "办理结果告知时限 2026-10-20" in page
    task_id = _form_task(page)
    refused = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                          data={"decision": "supplement", "reason": "", "version": doc["version"], "case_id": doc["id"]})
    assert "要求补正时须说明理由" in refused.get_data(as_text=True)
    done = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                       data={"decision": "forward", "version": doc["version"], "case_id": doc["id"]})
    page = done.get_data(as_text=True)
    assert "审核结论已提交" in page and "认定部门决定时限 2026-10-10" in page
    client.post("/logout")
    login(client, "dept1")
    inbox = client.get("/desk/").get_data(as_text=True)
    assert f"/desk/cases/{doc['id']}" in inbox and "认定部门决定" in inbox
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    done = client.post(f"/desk/tasks/{_form_task(page)}/complete", follow_redirects=True,
                       data={"decision": "approve", "version": version, "case_id": doc["id"]})
    page = done.get_data(as_text=True)
    assert "审核结论已提交" in page and "予以修复" in page and "信用修复决定书" in page
    assert "已终止公示" in page and "已解除" in page


def test_office_decides_a_case_received_under_order58(client, clock, make_record):
    clock.set("2024-06-03T10:00:00+08:00")
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2023-12-01")]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'data-element-id="review"' in page and "办理结果告知时限" not in page
    task_id = _form_task(page)
    refused = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                          data={"decision": "reject", "reason": "", "version": doc["version"], "case_id": doc["id"]})
    assert "不予修复或要求补正时须说明理由" in refused.get_data(as_text=True)
    done = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                       data={"decision": "approve", "version": doc["version"], "case_id": doc["id"]})
    page = done.get_data(as_text=True)
    assert "予以修复" in page and "信用修复决定书" in page and "已终止公示" in page


def test_stale_form_is_refused(client, make_record):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    stale = client.post(f"/desk/tasks/{_form_task(page)}/complete", follow_redirects=True,
                        data={"decision": "forward", "version": doc["version"] - 1, "case_id": doc["id"]})
    assert "已被他人更新" in stale.get_data(as_text=True)


def test_supervisor_bulk_reassigns(client, make_record):
    ids = [file_request(client, token_for(client, "applicant1"), [make_record(f"2026-05-1{i}")]).get_json()["id"]
           for i in range(2)]
    login(client, "supervisor1")
    page = client.get("/desk/").get_data(as_text=True)
    tasks = re.findall(r'name="task_ids" value="([0-9a-f-]+)"', page)
    assert len(tasks) == 2
    done = client.post("/desk/tasks/reassign", data={"assignee": "reviewer2", "task_ids": tasks}, follow_redirects=True)
    assert "已改派 2 项任务" in done.get_data(as_text=True)
    client.post("/logout")
    login(client, "reviewer2")
    mine = client.get("/desk/?view=mine").get_data(as_text=True)
    assert all(f"/desk/cases/{i}" in mine for i in ids)
