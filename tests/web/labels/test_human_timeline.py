"""Timelines and labels read as people speak (issue 17): the system's own steps are credited to
系统（自动） or 系统（到期）, never to the applicant who filed; decisions and outcomes are words
with their reason; record history has no JSON; public pages show no hashes, staff no MIME types."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from tests.support.api_cases import department_decides, file_request, forward
from tests.support.files import pdf_bytes
from tests.support.letters import drain_letters
from tests.support.web import bearer, login, token_for

REASON = "整改材料不足以证明已消除不良影响"
KEYS = re.compile(r"\b(approved|rejected|forward|reject|approve|order36|gb22)\b|[{}]")


def rows(html: str, table_id: str, row_tag: str = "li") -> list[str]:
    """The text of each row of one list or table on a page."""
    body = re.search(rf'id="{table_id}"[^>]*>(.*?)</(?:ol|ul|table)>', html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(rf"<{row_tag}\b.*?</{row_tag}>", body, re.S)]


@pytest.fixture
def refused(client, make_record, runtime, named) -> dict:
    """A repair filed by applicant1 with a file, forwarded by reviewer1, refused by dept1 with a reason."""
    record_id = make_record("2026-05-10")
    token = token_for(client, "applicant1")
    doc = file_request(client, token, [record_id]).get_json()
    attached = client.post(f"/api/v1/cases/{doc['id']}/attachments", headers=bearer(token), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf_bytes()), "缴款凭证.pdf", "application/pdf")})
    assert attached.status_code == 201, attached.get_json()
    doc = forward(client, client.get(f"/api/v1/cases/{doc['id']}", headers=bearer(token)).get_json())
    done = department_decides(client, doc, "reject", reason=REASON)
    assert done.status_code == 200, done.get_json()
    drain_letters(runtime.store, runtime.clock)
    return {**done.get_json(), "record_id": record_id}


def test_desk_timeline_credits_people_only_with_their_own_acts(client, refused, named):
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{refused['id']}").get_data(as_text=True)
    timeline = rows(page, "timeline")
    people = {line for line in timeline if any(name in line for name in named.values())}
    assert all("发起案件" in line or "完成任务" in line or "上传" in line for line in people), people
    assert [line for line in timeline if "受理通知书" in line][0].split(" ", 2)[2].startswith("系统（自动）")
    assert not [line for line in timeline if re.search(r"applicant1|reviewer1|dept1", line)]
    decided = next(line for line in timeline if "认定部门决定" in line and "完成任务" in line)
    assert named["dept1"] in decided and f"不予修复。理由：{REASON}" in decided
    assert any("系统（自动） 案件办结：不予修复" in line for line in timeline), timeline
    assert not [line for line in timeline if KEYS.search(line)]


def test_desk_page_shows_file_kinds_and_no_hashes_and_a_human_release_button(client, refused, make_record, named):
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{refused['id']}").get_data(as_text=True)
    assert "缴款凭证.pdf" in page and "PDF 文件" in page and "application/pdf" not in page
    assert "sha256" not in page.lower()
    eligibility = rows(page, "eligibility")
    assert eligibility and all("国家发展改革委令2025年第36号" in line and not KEYS.search(line) for line in eligibility)
    assert 'aria-label="Close"' not in page
    other = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-11")]).get_json()
    task = next(t for t in other["tasks"] if t["state"] == "ready")
    client.post(f"/desk/tasks/{task['id']}/claim")
    assert 'aria-label="关闭提示"' in client.get("/desk/").get_data(as_text=True)  # the flash of the claim
    page = client.get(f"/desk/cases/{other['id']}").get_data(as_text=True)
    assert "释放任务" in rows(page, "tasks", "tr")[1] and "退回" not in page.split('id="diagram"')[0]


def test_timer_steps_read_as_the_system_when_time_runs_out(client, make_record, runtime, clock, named):
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    clock.set((clock.now() + timedelta(days=30)).isoformat())  # past the 本级审核 time limit
    assert runtime.engine.fire_due_timers() == 1
    login(client, "reviewer1")
    timeline = rows(client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True), "timeline")
    due = [line for line in timeline if "到期" in line and "定时" in line]
    assert due and all("系统（到期）" in line for line in due), timeline
    assert not [line for line in timeline if " 系统 " in f" {line} " or "system" in line]


def test_portal_timeline_gives_the_reason_of_the_refusal(client, refused, named):
    login(client, "applicant1")
    timeline = rows(client.get(f"/portal/cases/{refused['id']}").get_data(as_text=True), "timeline")
    assert any(f"理由：{REASON}" in line for line in timeline), timeline
    assert not [line for line in timeline if KEYS.search(line)]


def test_letters_register_names_organs_and_handlers_never_usernames(client, refused, named):
    login(client, "reviewer1")
    register = rows(client.get("/letters/").get_data(as_text=True), "letters-register", "tr")[1:]
    acceptance = next(line for line in register if "受理通知书" in line)
    assert "系统（自动）" in acceptance and named["applicant1"] not in acceptance
    refusal = next(line for line in register if "不予修复" in line or "决定书" in line)
    assert named["dept1"] in refusal or "系统（自动）" in refusal
    assert not [line for line in register if re.search(r"applicant1|reviewer1|dept1", line)]


def test_record_history_reads_as_fields_and_values(client, make_record, named):
    record_id = make_record("2026-05-10")
    doc = forward(client, file_request(client, token_for(client, "applicant1"), [record_id]).get_json())
    assert department_decides(client, doc, "approve").status_code == 200
    login(client, "reviewer1")
    history = rows(client.get(f"/records/{record_id}").get_data(as_text=True), "history", "tr")[1:]
    stopped = next(line for line in history if "已终止公示" in line)
    assert "公示状态： 公示中" in stopped and "变更原因：" in stopped
    lifted = next(line for line in history if "解除" in line)
    assert "限制参加政府采购：执行中" in lifted and "限制参加政府采购：已解除" in lifted
    assert not [line for line in history if KEYS.search(line) or "publicity_status" in line or "dept1" in line], history
