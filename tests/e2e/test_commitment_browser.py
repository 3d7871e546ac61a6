"""In real Chromium: an applicant makes a credit commitment from the portal, signs it, and
downloads its 信用承诺书 (CSRF on, as in production)."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.letters import drain_letters
from tests.support.browser import log_in, seed
from workflows.core.models.commitments import Commitment


def test_applicant_makes_signs_and_downloads_a_commitment(browser, live_server, live_runtime, tmp_path):
    seed(live_runtime)  # a general (not serious) record: 告知承诺 stays open to this subject
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()

    log_in(page, live_server, "applicant1")
    page.goto(f"{live_server}/portal/")
    page.click("#new-commitment")
    page.click("#commitment-types a[data-type=certification]")
    assert "以承诺替代相关证明材料" in page.inner_text("#standard-text")
    page.fill("input[name=matter]", "食品经营许可证延续")
    page.fill("textarea[name=content]", "经营场所符合食品安全要求")
    page.fill("textarea[name=liability]", "承担虚假承诺的法律责任并接受失信惩戒")
    page.check("#disclosure-public")
    page.select_option("select[name=department_code]", "QZ-SCJG")
    page.click("#commitment-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    case_id = int(re.search(r"/portal/cases/(\d+)", page.url).group(1))
    assert f"信用承诺 #{case_id}" in page.inner_text("#case-heading")
    code = page.inner_text("#commitment-code").strip()
    assert len(code) == 20

    page.check("#confirm-form input[name=confirmed]")
    page.fill("#confirm-form input[name=signer]", "陈志明")
    page.click("#confirm-form [type=submit]")
    page.wait_for_selector("text=您已确认签署信用承诺书")
    assert page.locator("#confirm-form").count() == 0
    assert "待受理" in page.inner_text("#commitment-status")

    drain_letters(live_runtime.store, live_runtime.clock)  # the workers' job (off here: deterministic)
    page.reload()
    link = page.locator("#letters a", has_text="信用承诺书")
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "commitment.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    page.goto(f"{live_server}/portal/commitments")
    assert "待受理" in page.inner_text(f"tr[data-commitment='{code}']")
    with live_runtime.store.read() as session:
        assert session.scalars(select(Commitment.case_id).where(Commitment.code == code)).one() == case_id
    context.close()
