"""In real Chromium at 1366 px: a refused desk decision comes back with the choice and the typed
text kept and a Chinese error beside the field; choosing 更正 opens the corrections, and they
stay open after an error."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.browser import log_in, seed
from tests.support.subjects import COMPANY as SUBJECT
from workflows.core.models.cases import HumanTask
from workflows.kinds.objection.filing import file_objection
from workflows.kinds.repair.filing import file_repair
from workflows.people.access import Actor

APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=SUBJECT)
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
WIDE = {"width": 1366, "height": 900}


def test_refused_repair_review_keeps_the_choice_and_the_text(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    case = file_repair(live_runtime.engine, APPLICANT, SUBJECT, {
        "record_ids": [record_id], "reason": "已缴清罚款", "rectification": "已整改", "commitment_accepted": True})
    page = browser.new_context(viewport=WIDE).new_page()
    log_in(page, live_server, "reviewer1")
    page.goto(f"{live_server}/desk/cases/{case.id}")
    page.check("#decision-supplement")
    page.fill("#supplement_items", "罚款缴纳凭证")
    page.click("#submit-decision")
    page.wait_for_selector("#reason-error")
    assert page.inner_text("#reason-error") == "请填写理由"
    assert page.is_checked("#decision-supplement")
    assert page.input_value("#supplement_items") == "罚款缴纳凭证"
    error_box, field_box = page.locator("#reason-error").bounding_box(), page.locator("#reason").bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40  # right below its field
    assert page.locator("#decision-error").count() == 0  # the choice itself was fine


def test_choosing_correct_opens_the_corrections_and_an_error_keeps_them_open(browser, live_server, live_runtime):
    record_id = seed(live_runtime)
    case = file_objection(live_runtime.engine, APPLICANT, SUBJECT, {
        "record_ids": [record_id], "target": "content", "claim": "罚款金额有误", "evidence": "处罚决定书"})
    _accept(live_runtime, case.id)
    page = browser.new_context(viewport=WIDE).new_page()
    log_in(page, live_server, "dept1")
    page.goto(f"{live_server}/desk/cases/{case.id}")
    assert page.get_attribute("#corrections", "open") is None
    page.check("#outcome-correct")
    assert page.get_attribute("#corrections", "open") is not None  # opened by the choice
    page.check("#outcome-uphold")
    assert page.get_attribute("#corrections", "open") is None
    page.check("#outcome-correct")
    page.fill("#reason", "经核实，罚款金额应予更正")
    page.click("#submit-decision")  # no corrected value changed
    page.wait_for_selector("#corrections-error")
    assert page.inner_text("#corrections-error") == "请在“更正内容”中至少改动一项"
    assert page.get_attribute("#corrections", "open") is not None and page.is_visible("#corr_content")
    assert page.is_checked("#outcome-correct") and page.input_value("#reason") == "经核实，罚款金额应予更正"
    page.fill("#corr_content", "罚款人民币五千元")
    page.click("#submit-decision")
    page.wait_for_selector("text=审核结论已提交")
    assert "罚款人民币五千元" in page.inner_text("#diff")


def _accept(runtime, case_id: int) -> None:
    """The credit office accepts the objection: the department's verify task opens."""
    with runtime.store.read() as session:
        task_id = session.scalars(select(HumanTask.id).where(HumanTask.case_id == case_id,
                                                             HumanTask.bpmn_id == "first_review")).one()
    runtime.engine.complete_task(task_id, {"decision": "accept"}, REVIEWER)
