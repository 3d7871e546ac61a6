"""In real Chromium at desk width: the case diagram opens readable at the current step, shows
the whole flow on request and zooms; the attachment preview frame stays hidden until used."""
from __future__ import annotations

import re

from tests.support.browser import log_in, seed

IN_VIEW = """() => {
  const frame = document.getElementById('diagram').getBoundingClientRect();
  const step = document.querySelector('#diagram .bpmn-node.state-current').getBoundingClientRect();
  return step.left >= frame.left && step.right <= frame.right && step.top >= frame.top && step.bottom <= frame.bottom;
}"""
SIZES = "() => [document.querySelector('#diagram svg').getBoundingClientRect().width, document.getElementById('diagram').clientWidth]"


def test_diagram_opens_at_the_current_step_and_zooms(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server, "applicant1")
    page.goto(f"{live_server}/portal/repair/new?record={record_id}")
    page.fill("textarea[name=reason]", "已缴清罚款，申请信用修复")
    page.fill("textarea[name=rectification]", "已建立进货查验制度并完成整改")
    page.check("input[name=commitment_accepted]")
    page.click("#repair-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    case_id = int(re.search(r"/portal/cases/(\d+)", page.url).group(1))
    page.locator("nav form button").click()
    page.wait_for_load_state()

    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server}/desk/cases/{case_id}")
    page.locator("#diagram").scroll_into_view_if_needed()
    assert page.evaluate(IN_VIEW)  # the 本级审核 step in sight, not clipped off to the right
    opened, frame = page.evaluate(SIZES)
    assert opened > frame  # readable: not shrunk to a thumbnail of a 3,700 px flow
    page.click("[data-diagram-zoom=fit]")
    whole, frame = page.evaluate(SIZES)
    assert whole <= frame
    page.click("[data-diagram-zoom=in]")
    assert page.evaluate(SIZES)[0] > whole * 1.2
    assert page.evaluate(IN_VIEW)
    assert page.locator("iframe[name=preview]").count() == 0 or not page.locator("iframe[name=preview]").is_visible()
