"""axe-core (npm, pinned in package.json) run inside the main pages in Chromium: no critical
and no serious violations. The context bypasses the CSP only so the test can inject axe."""
from __future__ import annotations

import re

from tests.support.browser import log_in, seed
from tests.support.phone import axe_violations


def _file_a_repair(page, base: str, record_id: int) -> int:
    page.goto(f"{base}/portal/repair/new?record={record_id}")
    page.fill("textarea[name=reason]", "已缴清罚款，申请信用修复")
    page.fill("textarea[name=rectification]", "已建立进货查验制度并完成整改")
    page.check("input[name=commitment_accepted]")
    page.click("#repair-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    return int(re.search(r"/portal/cases/(\d+)", page.url).group(1))


def _log_out(page) -> None:
    page.locator("nav form button").click()
    page.wait_for_load_state()


def test_main_pages_have_no_critical_or_serious_violations(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}

    def check(path: str) -> None:
        page.goto(live_server + path)
        if violations := axe_violations(page):
            found[f"{page.viewport_size['width']} {path}"] = violations

    check("/login")
    log_in(page, live_server, "applicant1")
    check(f"/portal/repair/new?record={record_id}")
    case_id = _file_a_repair(page, live_server, record_id)
    check("/portal/")
    check(f"/portal/cases/{case_id}")
    page.set_viewport_size({"width": 390, "height": 800})  # the phone layout: cards, stacked actions, menu
    check("/portal/")
    check(f"/portal/cases/{case_id}")
    page.set_viewport_size({"width": 1366, "height": 900})
    _log_out(page)

    log_in(page, live_server, "reviewer1")
    check("/desk/?view=unclaimed")
    page.locator("#inbox tr", has_text=f"#{case_id}").locator("button", has_text="认领").click()
    page.wait_for_load_state()
    check("/desk/")
    check(f"/desk/cases/{case_id}")  # with its decision form
    assert page.locator("#submit-decision").count() == 1
    _log_out(page)

    log_in(page, live_server, "admin1")
    check("/admin/")
    assert not found, "\n".join(f"{path}: {v}" for path, v in found.items())
    context.close()
