"""In real Chromium: an applicant files a repair, a reviewer claims and forwards it (Order 36: 谁认定、谁修复),
the designating department approves it, the letter downloads."""
from __future__ import annotations

import re

from tests.support.letters import drain_letters
from tests.support.browser import log_in, seed


def test_applicant_files_reviewer_approves_letter_downloads(browser, live_server, live_runtime, tmp_path):
    record_id = seed(live_runtime)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()

    log_in(page, live_server, "applicant1")
    page.goto(f"{live_server}/portal/repair/new?record={record_id}")
    page.fill("textarea[name=reason]", "已缴清罚款，申请信用修复")
    page.fill("textarea[name=rectification]", "已建立进货查验制度并完成整改")
    page.check("input[name=commitment_accepted]")
    page.click("#repair-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    assert "受理通知书" in page.content() and "信用承诺书" in page.content()
    case_id = int(re.search(r"/portal/cases/(\d+)", page.url).group(1))
    page.click("nav form button")  # log out
    page.wait_for_load_state()

    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server}/desk/?view=unclaimed")
    row = page.locator("#inbox tr", has_text=f"#{case_id}")
    row.locator("button", has_text="认领").click()
    page.wait_for_url(re.compile(r"/desk/"))
    page.goto(f"{live_server}/desk/cases/{case_id}")
    page.check("#decision-forward")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    assert "认定部门决定时限" in page.inner_text("#deadlines")
    page.click("nav form button")  # log out
    page.wait_for_load_state()

    log_in(page, live_server, "dept1")
    page.goto(f"{live_server}/desk/cases/{case_id}")
    page.check("#decision-approve")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    assert "予以修复" in page.inner_text("#case-status")

    drain_letters(live_runtime.store, live_runtime.clock)  # the workers' job (off here: deterministic)
    page.reload()
    link = page.locator("#letters a", has_text="信用修复决定书")
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "decision.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    context.close()
