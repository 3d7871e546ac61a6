"""In real Chromium: the supervisor opens the statistics, picks a period, and the charts are
drawn (server-side SVG with paths, styled under the page's Content-Security-Policy)."""
from __future__ import annotations

from tests.support.browser import log_in, seed
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor

SUBJECT = "91350100M000100Y43"


def test_statistics_page_draws_its_charts(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    applicant = Actor("applicant1", frozenset({"applicant"}), subject_code=SUBJECT)
    file_repair(live_runtime.engine, applicant, SUBJECT, {
        "record_ids": [record_id], "reason": "已缴清罚款", "rectification": "已整改", "commitment_accepted": True})
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "supervisor1")
    page.goto(f"{live_server}/stats/")
    page.select_option("#period", "year")
    page.fill("#year", "2026")
    page.click("#stats-filters [type=submit]")
    page.wait_for_url("**/stats/repair?period=year*")
    chart = page.locator("#repair_trend .stats-chart svg")
    assert chart.count() == 1 and chart.locator("path").count() > 3
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    # the chart's own <style> applies (allowed by its hash): the trend line is stroked, not black
    stroke = page.evaluate("() => getComputedStyle(document.querySelector('#repair_trend .stats-chart svg .serie-0 .line')).stroke")
    assert stroke not in ("", "none", "rgb(0, 0, 0)"), errors
    assert "申请" in page.inner_text("#repair_summary")
    assert not [e for e in errors if "Content Security Policy" in e]
    page.click("#stats-tabs >> text=约谈与预警")
    assert page.locator("#interview_summary .stats-chart svg path").count() > 0
