"""In real Chromium at phone width (390 and 360 px): an applicant registers, asks to act for a
company, files a repair, follows the case and reads its letter; the reviewer and the department
officer work at 1366 px. No portal page may scroll sideways or squeeze a button to a sliver."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.support.bindings import AGENT_UNTIL
from tests.support.browser import fill_repair_form, log_in, log_out, seed
from tests.support.files import pdf_bytes, png_bytes
from tests.support.letters import drain_letters
from tests.support.phone import layout_faults, walk_at_phone_widths
from tests.support.subjects import COMPANY

PHONE = {"width": 390, "height": 800}
DESK = {"width": 1366, "height": 900}
PASSWORD = "Agency@2026!x"


def _log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    assert not layout_faults(page)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


def _register_and_ask_to_bind(page, base: str) -> int:
    page.goto(f"{base}/portal/register")
    assert not layout_faults(page)
    page.fill("input[name=username]", "agency1")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.fill("input[name=display_name]", "赵代理")
    page.click("#register-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/subjects$"))
    page.click("#new-binding")
    page.wait_for_url(re.compile(r"/portal/bindings/new$"))
    assert not layout_faults(page)
    page.fill("input[name=subject_code]", COMPANY)
    page.fill("input[name=subject_name]", "泉州市清源食品有限公司")
    page.check("#relation-agent")
    page.fill("input[name=valid_until]", AGENT_UNTIL)
    for field, name, kind, body in (("licence_files", "营业执照.pdf", "application/pdf", pdf_bytes()),
                                    ("authorisation_files", "授权委托书.pdf", "application/pdf", pdf_bytes()),
                                    ("agent_id_files", "身份证.png", "image/png", png_bytes())):
        page.set_input_files(f"input[name={field}]", {"name": name, "mimeType": kind, "buffer": body})
    page.click("#binding-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/bindings/\d+$"))
    assert not layout_faults(page)
    return int(re.search(r"/portal/bindings/(\d+)", page.url).group(1))


def _desk_decides(page, base: str, username: str, case_id: int, decision: str) -> None:
    page.set_viewport_size(DESK)
    log_in(page, base, username)
    page.goto(f"{base}/desk/cases/{case_id}")
    assert not layout_faults(page, buttons=False)
    page.check(f"#decision-{decision}")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    log_out(page)


def _file_repair(page, base: str, record_id: int) -> int:
    page.goto(f"{base}/portal/")
    page.locator("#records a", has_text="申请信用修复").click()
    page.wait_for_url(re.compile(r"/portal/repair/new\?record=\d+$"))
    assert not layout_faults(page)
    return fill_repair_form(page)


def _make_commitment(page, base: str) -> int:
    """A 告知承诺 made and signed on the phone: its case page has the commitment panel."""
    page.goto(f"{base}/portal/commitments/new")
    page.click("#commitment-types a[data-type=certification]")
    page.wait_for_url(re.compile(r"type=certification"))
    assert not layout_faults(page)
    page.fill("input[name=matter]", "食品经营许可证延续")
    page.fill("textarea[name=content]", "经营场所符合食品安全要求")
    page.fill("textarea[name=liability]", "承担虚假承诺的法律责任并接受失信惩戒")
    page.check("#disclosure-public")
    page.select_option("select[name=department_code]", "QZ-SCJG")
    page.click("#commitment-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    assert not layout_faults(page)
    return int(re.search(r"/portal/cases/(\d+)", page.url).group(1))


def _schedule_interview(page, base: str, runtime, record_id: int) -> None:
    """The department officer, at desk width, summons the subject (a date ahead of the clock)."""
    page.set_viewport_size(DESK)
    log_in(page, base, "dept1")
    page.goto(f"{base}/desk/interviews/new?record={record_id}")
    page.check("#kind-prompt")
    when = runtime.clock.now() + timedelta(days=12)
    page.fill("#scheduled_at", when.strftime("%Y-%m-%dT09:30"))
    page.fill("#place", "泉州市行政服务中心3楼约谈室")
    page.fill("#officers", "陈静、林峰")
    page.click("#schedule")
    page.wait_for_url(re.compile(r"/desk/cases/\d+"))
    log_out(page)


def test_applicant_path_on_a_phone(browser, live_server, live_runtime, tmp_path):
    record_id = seed(live_runtime)
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()

    binding_id = _register_and_ask_to_bind(page, live_server)
    log_out(page)
    _desk_decides(page, live_server, "reviewer1", binding_id, "approve")

    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "agency1")
    case_id = _file_repair(page, live_server, record_id)
    assert not layout_faults(page)
    drain_letters(live_runtime.store, live_runtime.clock)  # the workers' job (off here: deterministic)
    page.reload()
    with page.expect_download() as download:
        page.locator("#letters a", has_text="受理通知书").click()
    path = tmp_path / "acceptance.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    commitment_id = _make_commitment(page, live_server)
    log_out(page)

    _schedule_interview(page, live_server, live_runtime, record_id)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "agency1")
    walked = walk_at_phone_widths(page, live_server, ["/portal/", "/portal/subjects", f"/portal/cases/{case_id}",
                                                      "/portal/commitments/new", "/account/password"])
    pages = walked.pop("pages")
    assert not walked, walked
    assert {"/portal/repair/new", "/portal/objection/new", "/portal/commitments", f"/portal/bindings/{binding_id}",
            "/portal/bindings/new"} <= set(pages), pages
    assert f"/portal/cases/{commitment_id}" in pages
    assert sum(p.startswith("/portal/cases/") for p in pages) >= 3, pages  # repair, commitment, interview
    context.close()
