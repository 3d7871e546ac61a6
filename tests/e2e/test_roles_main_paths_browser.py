"""In real Chromium at desk width (1366 px) and phone width (390 px): each staff role walks its main
path — the reviewer claims and forwards a repair, the department officer decides it, the supervisor
reassigns a task and opens the overdue tab, the admin opens a department and the calendar, the
auditor searches the audit log. No step may answer 5xx, and on a phone the page itself must not
scroll sideways: a wide table scrolls inside its own `.table-responsive` box."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.support.browser import log_in, log_out, seed
from tests.support.subjects import COMPANY
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor

WIDTHS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 800}}

# The page's own width, and any table wider than the window that is not in a scrolling wrapper.
FIT = """() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  loose: [...document.querySelectorAll('main table')]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && !el.closest('.table-responsive'))
    .map(el => el.id || el.className),
})"""


@pytest.fixture(params=list(WIDTHS))
def page(request, browser, live_server):
    """A page at one of the two widths that records every 5xx the server answers."""
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.server_errors = []
    page.on("response", lambda r: r.status >= 500 and page.server_errors.append(f"{r.status} {r.url}"))
    yield page
    assert not page.server_errors, page.server_errors
    context.close()


def _fits(page) -> None:
    """The page does not scroll sideways (tables may, inside their wrapper)."""
    found = page.evaluate(FIT)
    assert found["scroll"] <= found["inner"] and not found["loose"], (page.url, found)


def _visit(page, url: str) -> None:
    page.goto(url)
    _fits(page)


def _filed_repair(runtime) -> int:
    record_id = seed(runtime)
    applicant = Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY)
    case = file_repair(runtime.engine, applicant, COMPANY, {
        "record_ids": [record_id], "reason": "已缴清罚款并完成整改", "rectification": "已建立进货查验制度",
        "commitment_accepted": True})
    return case.id


def test_reviewer_forwards_and_department_decides(page, live_server, live_runtime):
    case_id = _filed_repair(live_runtime)
    log_in(page, live_server, "reviewer1")
    _visit(page, f"{live_server}/desk/?view=unclaimed")
    row = page.locator("#inbox tr", has_text=f"#{case_id}")
    row.locator("button", has_text="认领").click()
    page.wait_for_selector("#inbox")
    _fits(page)
    _visit(page, f"{live_server}/desk/cases/{case_id}")
    page.check("#decision-forward")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    _fits(page)
    log_out(page)

    log_in(page, live_server, "dept1")
    _visit(page, f"{live_server}/desk/?view=group")
    assert f"#{case_id}" in page.inner_text("#inbox")
    _visit(page, f"{live_server}/desk/cases/{case_id}")
    page.check("#decision-approve")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    assert "予以修复" in page.inner_text("#case-status")
    _fits(page)


def test_supervisor_reassigns_and_sees_overdue(page, live_server, live_runtime):
    case_id = _filed_repair(live_runtime)
    log_in(page, live_server, "supervisor1")
    _visit(page, f"{live_server}/desk/?view=group")
    row = page.locator("#inbox tr", has_text=f"#{case_id}")
    row.locator("input[name=task_ids]").check()
    page.select_option("#bulk-assignee", "reviewer1")
    page.click("#bulk-form button")
    page.wait_for_selector("text=已改派 1 项任务")
    _fits(page)

    live_runtime.clock.advance(days=60)  # past the review's due date
    _visit(page, f"{live_server}/desk/?view=overdue")
    overdue = page.locator("#inbox tr", has_text=f"#{case_id}")
    assert "已超期" in overdue.inner_text()
    assert int(page.inner_text("[data-count=overdue]")) >= 1


def test_admin_opens_a_department_and_the_calendar(page, live_server, live_runtime):
    seed(live_runtime)
    log_in(page, live_server, "admin1")
    _visit(page, f"{live_server}/admin/departments")
    page.locator("table.departments a", has_text="QZ-SCJG").first.click()
    page.wait_for_url(re.compile(r"/admin/departments/QZ-SCJG$"))
    assert "泉州市市场监督管理局" in page.inner_text("main")
    _fits(page)
    _visit(page, f"{live_server}/admin/calendar")
    year = live_runtime.clock.now().year
    assert str(year) in page.inner_text("table.calendar-years")


def test_auditor_searches_the_audit_log(page, live_server, live_runtime):
    case_id = _filed_repair(live_runtime)
    log_in(page, live_server, "auditor1")
    _visit(page, f"{live_server}/admin/audit")
    page.fill("#audit-case_id", str(case_id))
    page.fill("#audit-since", (live_runtime.clock.now() - timedelta(days=1)).date().isoformat())
    page.click("#audit-search button.btn-primary")
    page.wait_for_url(re.compile(rf"case_id={case_id}"))
    rows = page.locator("#audit-events tbody tr")
    assert rows.count() >= 1
    assert all(rows.nth(i).locator("td").nth(3).inner_text() == str(case_id) for i in range(rows.count()))
    _fits(page)
