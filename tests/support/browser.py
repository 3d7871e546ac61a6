"""Browser tests: the demo data plus one public penalty record, and logging in through the form."""
from __future__ import annotations

import re

from workflows.core.config import PROJECT_ROOT
from workflows.engine.rules import RuleBook
from workflows.people.demo import DEMO_PASSWORD, load_demo
from workflows.records import create_record


def seed(runtime) -> int:
    with runtime.store.write() as uow:
        load_demo(uow.session, runtime.clock.now())
        record = create_record(uow.session, RuleBook.from_directory(PROJECT_ROOT / "bpmn"), {
            "subject_code": "91350100M000100Y43", "subject_name": "泉州市清源食品有限公司", "kind": "penalty",
            "severity": "general", "decision_no": "泉市监罚〔2026〕51号", "decision_date": "2026-05-10",
            "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
            "facts": "销售过期食品", "basis": "《食品安全法》第一百二十四条", "content": "罚款人民币一万元",
            "measures": [{"name": "限制参加政府采购"}]}, "dept1", runtime.clock.now())
        uow.commit()
        return record.id


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")


def log_out(page) -> None:
    """The header's sign-out button; at phone width it sits in the collapsed menu, opened first.

    Visibility is asked once the stylesheets are in: before, a page just loaded at desk width
    shows its menu toggler (Bootstrap hides it from the lg breakpoint), and clicking it then
    waits for a button the stylesheet has hidden. An opened menu is clicked in once its
    animation is over (`.show`): a click while it still grows was lost now and then."""
    page.wait_for_load_state("load")
    sign_out = page.locator("nav form button")
    if not sign_out.is_visible():
        page.locator("nav .navbar-toggler").click()
        page.locator("#main-nav.show").wait_for()
    sign_out.click()
    # The click only schedules the form's POST: wait for its redirect to the login form, or the
    # next goto() cancels the sign-out and the old session stays.
    page.wait_for_url(re.compile(r"/login(\?|$)"))
    page.wait_for_selector("input[name=username]")


def fill_repair_form(page) -> int:
    """On the portal's repair form: the reasons, the commitment, submit; the new case's id."""
    import re
    page.fill("textarea[name=reason]", "已缴清罚款，申请信用修复")
    page.fill("textarea[name=rectification]", "已建立进货查验制度并完成整改")
    page.check("input[name=commitment_accepted]")
    page.click("#repair-form [type=submit]")
    page.wait_for_url(re.compile(r"/portal/cases/\d+"))
    return int(re.search(r"/portal/cases/(\d+)", page.url).group(1))


def file_repair(page, base: str, record_id: int) -> int:
    """The signed-in applicant files a repair of `record_id` through the portal form."""
    page.goto(f"{base}/portal/repair/new?record={record_id}")
    return fill_repair_form(page)
