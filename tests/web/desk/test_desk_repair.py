"""The desk case page for a repair: request, commitment, records, diagram, decision form."""
from __future__ import annotations

import re

from tests.support.api_cases import file_request
from tests.support.web import login, token_for


def test_case_page_shows_the_request_and_decides(client, make_record):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert "已缴清罚款并完成整改" in page and "依法诚信经营" in page  # request + commitment text
    assert "限制参加政府采购" in page and "公示中" in page  # the record and its measure
    assert 'data-element-id="review"' in page and "state-current" in page  # diagram
    assert "提交审核结论" in page
    task_id = re.search(r'/desk/tasks/([0-9a-f-]+)/complete', page).group(1)
    refused = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                          data={"decision": "reject", "reason": "", "version": doc["version"], "case_id": doc["id"]})
    assert "不予修复或要求补正时须说明理由" in refused.get_data(as_text=True)
    done = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                       data={"decision": "approve", "version": doc["version"], "case_id": doc["id"]})
    page = done.get_data(as_text=True)
    assert "审核结论已提交" in page and "予以修复" in page and "信用修复决定书" in page
    assert "已终止公示" in page and "已解除" in page


def test_stale_form_is_refused(client, make_record):
    record_id = make_record("2026-05-10")
    doc = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    task_id = re.search(r'/desk/tasks/([0-9a-f-]+)/complete', page).group(1)
    stale = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                        data={"decision": "approve", "version": doc["version"] - 1, "case_id": doc["id"]})
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
