"""In real Chromium: an applicant objects from the portal, a reviewer accepts (the measures are
suspended from then on, objection_rules.dmn's default), the department revokes, the applicant
downloads the 异议处理告知书."""
from __future__ import annotations

import re

from tests.support.letters import drain_letters
from tests.support.browser import log_in, log_out, seed
from tests.support.subjects import COMPANY as SUBJECT
from workflows.records import check_subject


def check(runtime) -> dict:
    with runtime.store.read() as session:
        return check_subject(session, SUBJECT)


def decide(page, base: str, case_id: int, choice: str, reason: str) -> None:
    """Complete the open desk task of the case with one radio choice and a reason."""
    page.goto(f"{base}/desk/cases/{case_id}")
    page.check(choice)
    page.fill("#decision textarea[name=reason]", reason)
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")


def test_applicant_objects_department_revokes_letter_downloads(browser, live_server, live_runtime, tmp_path):
    record_id = seed(live_runtime)
    assert len(check(live_runtime)["active_measures"]) == 1
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()

    log_in(page, live_server, "applicant1")
    page.goto(f"{live_server}/portal/")
    page.locator(f"tr[data-record='{record_id}'] a", has_text="对此记录提出异议").click()
    page.wait_for_url(re.compile(r"/portal/objection/new\?record=\d+"))
    assert page.is_checked(f"#record-{record_id}")
    page.check("#target-content")
    page.fill("textarea[name=claim]", "罚款金额应为人民币一千元，公示为一万元")
    page.fill("textarea[name=evidence]", "处罚决定书原件")
    page.click("#objection-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    case_id = int(re.search(r"/portal/cases/(\d+)", page.url).group(1))
    assert "异议申请" in page.inner_text("#case-heading")
    assert page.locator("#suspension").count() == 0  # filed, not yet accepted
    assert len(check(live_runtime)["active_measures"]) == 1
    log_out(page)

    log_in(page, live_server, "reviewer1")
    decide(page, live_server, case_id, "#decision-accept", "属于异议受理范围")
    log_out(page)
    during = check(live_runtime)
    assert during["active_measures"] == [] and [m["case_id"] for m in during["suspended_measures"]] == [case_id]
    log_in(page, live_server, "applicant1")
    page.goto(f"{live_server}/portal/cases/{case_id}")
    assert "起暂停公示，核实期间不执行联合惩戒" in page.inner_text("#suspension")
    log_out(page)

    log_in(page, live_server, "dept1")
    decide(page, live_server, case_id, "#outcome-revoke", "原处罚决定已被撤销")
    log_out(page)
    after = check(live_runtime)
    assert after["active_measures"] == [] and after["suspended_measures"] == []

    log_in(page, live_server, "applicant1")
    drain_letters(live_runtime.store, live_runtime.clock)  # the workers' job (off here: deterministic)
    page.goto(f"{live_server}/portal/cases/{case_id}")
    assert "已撤销" in page.inner_text("#case-status")
    link = page.locator("#letters a", has_text="异议处理告知书")
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "outcome.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    context.close()
