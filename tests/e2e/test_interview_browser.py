"""In real Chromium: an officer schedules an interview and the subject downloads the 约谈通知书."""
from __future__ import annotations

import re

from tests.support.letters import drain_letters
from tests.support.browser import log_in, seed


def test_officer_schedules_subject_downloads_notice(browser, live_server, live_runtime, tmp_path):
    record_id = seed(live_runtime)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()

    log_in(page, live_server, "dept1")
    page.goto(f"{live_server}/desk/interviews/new?record={record_id}")
    page.check("#kind-prompt")
    page.fill("#scheduled_at", "2026-10-12T09:30")
    page.fill("#place", "泉州市行政服务中心3楼约谈室")
    page.fill("#officers", "陈静、林峰")
    page.fill("#materials", "营业执照副本")
    page.click("#schedule")
    page.wait_for_url(re.compile(r"/desk/cases/\d+"))
    assert "约谈通知书已出具" in page.content()
    case_id = int(re.search(r"/desk/cases/(\d+)", page.url).group(1))
    page.goto(f"{live_server}/desk/interviews")
    assert "2026-10-12" in page.content()
    page.click("nav form button")
    page.wait_for_load_state()

    log_in(page, live_server, "applicant1")
    drain_letters(live_runtime.store, live_runtime.clock)  # the workers' job (off here: deterministic)
    page.goto(f"{live_server}/portal/cases/{case_id}")
    assert "参加约谈" in page.content()
    with page.expect_download() as download_info:
        page.locator("#letters a", has_text="约谈通知书").click()
    path = tmp_path / "notice.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    context.close()
