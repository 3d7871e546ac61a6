"""axe-core (npm, pinned in package.json) run inside the main pages in Chromium: no critical
and no serious violations. The context bypasses the CSP only so the test can inject axe."""
from __future__ import annotations


from tests.support.browser import file_repair, log_in, log_out, seed
from tests.support.phone import axe_violations


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
    case_id = file_repair(page, live_server, record_id)
    check("/portal/")
    check(f"/portal/cases/{case_id}")
    page.set_viewport_size({"width": 390, "height": 800})  # the phone layout: cards, stacked actions, menu
    check("/portal/")
    check(f"/portal/cases/{case_id}")
    page.set_viewport_size({"width": 1366, "height": 900})
    log_out(page)

    log_in(page, live_server, "reviewer1")
    check("/desk/?view=unclaimed")
    page.locator("#inbox tr", has_text=f"#{case_id}").locator("button", has_text="认领").click()
    page.wait_for_load_state()
    check("/desk/")
    check(f"/desk/cases/{case_id}")  # with its decision form
    assert page.locator("#submit-decision").count() == 1
    log_out(page)

    log_in(page, live_server, "admin1")
    check("/admin/")
    assert not found, "\n".join(f"{path}: {v}" for path, v in found.items())
    context.close()
