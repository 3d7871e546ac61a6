"""In real Chromium: removing a calendar override asks first (cancel keeps it), and choosing a
department on the record form fills in its registered name."""
from __future__ import annotations

from datetime import timedelta

from tests.support.browser import log_in, seed


def test_override_removal_asks_and_department_fills_its_name(browser, live_server, live_runtime):
    seed(live_runtime)
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "admin1")
    day = (live_runtime.clock.now() + timedelta(days=2)).date().isoformat()
    page.goto(f"{live_server}/admin/calendar")
    page.fill("input[name=day]", day)
    page.check("input[name=kind][value=working]")
    page.click("form[action$='/admin/calendar'] [type=submit]")
    page.wait_for_selector("form.remove-override")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("form.remove-override button")
    assert asked and day in asked[0]
    assert page.locator("form.remove-override").count() == 1  # cancelled: still there
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.remove-override button")
    page.wait_for_selector(f"text=已撤销 {day} 的日历调整")

    page.goto(f"{live_server}/records/new")
    page.select_option("select[name=department_code]", "QZ-STHJ")
    assert page.input_value("input[name=department_name]") == "泉州市生态环境局"
