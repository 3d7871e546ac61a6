"""In real Chromium: a new account registers, asks to act for a company as its agent with the
business licence, the signed authorisation and its ID; the credit office approves it in the
desk; the account then sees the company's records in the portal."""
from __future__ import annotations

import re

from tests.support.bindings import AGENT_UNTIL
from tests.support.browser import log_in, seed
from tests.support.files import pdf_bytes, png_bytes
from tests.support.subjects import COMPANY


def test_new_account_binds_as_agent_after_review(browser, live_server, live_runtime):
    seed(live_runtime)
    context = browser.new_context()
    page = context.new_page()

    page.goto(f"{live_server}/portal/register")
    page.fill("input[name=username]", "agency1")
    page.fill("input[name=password]", "Agency@2026!x")
    page.fill("input[name=confirm]", "Agency@2026!x")
    page.fill("input[name=display_name]", "赵代理")
    page.click("#register-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/subjects$"))
    assert page.locator("#no-bindings").is_visible()

    page.click("#new-binding")
    page.wait_for_url(re.compile(r"/portal/bindings/new$"))
    page.fill("input[name=subject_code]", COMPANY)
    page.fill("input[name=subject_name]", "泉州市清源食品有限公司")
    page.check("#relation-agent")
    page.fill("input[name=valid_until]", AGENT_UNTIL)
    page.set_input_files("input[name=licence_files]", {"name": "营业执照.pdf", "mimeType": "application/pdf",
                                                       "buffer": pdf_bytes()})
    page.set_input_files("input[name=authorisation_files]", {"name": "授权委托书.pdf", "mimeType": "application/pdf",
                                                             "buffer": pdf_bytes()})
    page.set_input_files("input[name=agent_id_files]", {"name": "身份证.png", "mimeType": "image/png",
                                                        "buffer": png_bytes()})
    page.click("#binding-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/bindings/\d+$"))
    case_id = int(re.search(r"/portal/bindings/(\d+)", page.url).group(1))
    assert "授权委托书.pdf" in page.inner_text("#attachments")
    page.click("nav form button")  # log out
    page.wait_for_load_state()

    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server}/desk/cases/{case_id}")
    assert "泉州市清源食品有限公司" in page.inner_text("#registry-name")
    assert "applicant1" in page.inner_text("#existing-holders")
    page.check("#decision-approve")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    assert "已绑定" in page.inner_text("#case-status")
    page.click("nav form button")
    page.wait_for_load_state()

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "agency1")
    page.fill("input[name=password]", "Agency@2026!x")
    page.click("input[type=submit], button[type=submit]")
    page.goto(f"{live_server}/portal/")
    assert "泉市监罚〔2026〕51号" in page.inner_text("#records")
    page.goto(f"{live_server}/portal/subjects")
    assert "委托代理人" in page.inner_text("#bindings") and AGENT_UNTIL in page.inner_text("#bindings")
    context.close()
