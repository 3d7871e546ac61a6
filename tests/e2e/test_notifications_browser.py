"""In real Chromium: a supervisor hands a task to a reviewer, whose bell shows it; clicking the bell
lists it, the link opens the case, 全部标为已读 empties the bell (at 1366 px and at a phone's 390 px)."""
from __future__ import annotations

import re

from tests.support.browser import file_repair, log_in, log_out, seed
from workflows.core.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _file_repair(page, base: str, record_id: int) -> int:
    log_in(page, base, "applicant1")
    return file_repair(page, base, record_id)


def test_the_bell_shows_an_assigned_task_and_leads_to_it(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    page = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()
    case_id = _file_repair(page, live_server, record_id)
    log_out(page)

    log_in(page, live_server, "supervisor1")
    page.goto(f"{live_server}/desk/")
    page.locator("#inbox tr", has_text=f"#{case_id}").locator("input[name=task_ids]").check()
    page.select_option("#bulk-assignee", "reviewer1")
    page.click("#bulk-form button")
    page.wait_for_selector("text=已改派 1 项任务")
    log_out(page)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    for view in (page, phone):
        log_in(view, live_server, "reviewer1")
        assert view.locator("#bell").is_visible()  # outside the collapsed menu on a phone too
        assert view.inner_text("#bell-count") == "1"
    page.click("#bell")
    page.wait_for_url(re.compile(r"/notifications$"))
    item = page.locator("#notification-list li").first
    assert f"案件 #{case_id}" in item.inner_text() and "已分派给您办理" in item.inner_text()
    item.locator("a", has_text="查看案件").click()
    page.wait_for_url(re.compile(rf"/desk/cases/{case_id}$"))
    page.click("#bell")
    assert _critical_violations(page) == []
    page.click("#read-all")
    page.wait_for_selector("text=全部通知已标为已读")
    assert page.locator("#bell-count").count() == 0
    phone.reload()
    assert phone.locator("#bell-count").count() == 0
    phone.goto(f"{live_server}/account/notifications")
    phone.fill("input[name=email]", "reviewer1@example")
    phone.click("#notification-settings [type=submit]")
    assert "电子邮箱地址格式不正确" in phone.inner_text("#notification-settings")  # next to its field
    assert phone.input_value("input[name=email]") == "reviewer1@example"  # kept
    assert _critical_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no horizontal overflow


def _critical_violations(page) -> list[str]:
    """axe-core (npm, pinned) run in the page (the context bypasses CSP to inject it): ids of critical violations."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations.filter(v => v.impact === 'critical').map(v => v.id)")
    return found
