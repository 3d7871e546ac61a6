"""In real Chromium: a reviewer types a subject's name into the desk header's search box and
finds its case; on the case page an internal note lands on the timeline."""
from __future__ import annotations

import re

from tests.support.browser import log_in, seed
from tests.support.subjects import COMPANY
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor


def test_header_search_finds_a_case_by_subject_name(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    applicant = Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY)
    case = file_repair(live_runtime.engine, applicant, COMPANY, {
        "record_ids": [record_id], "reason": "已缴清罚款并完成整改", "rectification": "已建立进货查验制度",
        "commitment_accepted": True})
    assert case.status == "running"
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()

    log_in(page, live_server, "reviewer1")
    page.wait_for_url(re.compile(r"/desk/"))
    box = page.locator("#header-search input[name=q]")
    box.fill("清源食品")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/desk/search\?q="))
    row = page.locator(f"#search-results tr[data-case='{case.id}']")
    assert "泉州市清源食品有限公司" in row.inner_text()
    assert "共 1 条" in page.inner_text("nav[data-total]")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/desk/cases/{case.id}$"))

    page.fill("#comment-body", "已电话核实缴款凭证")
    page.click("#comment-form button")
    page.wait_for_selector("#timeline .timeline-comment")
    assert "已电话核实缴款凭证" in page.inner_text("#timeline")


def test_select_all_ticks_every_task_for_bulk_reassignment(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    applicant = Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY)
    file_repair(live_runtime.engine, applicant, COMPANY, {
        "record_ids": [record_id], "reason": "已缴清罚款并完成整改", "rectification": "已建立进货查验制度",
        "commitment_accepted": True})
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "supervisor1")
    page.goto(f"{live_server}/desk/?view=group")
    boxes = page.locator("#inbox input[name=task_ids]")
    assert boxes.count() >= 1
    page.check("#select-all")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.uncheck("#select-all")
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
