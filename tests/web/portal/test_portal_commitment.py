"""Applicant portal: credit commitments (信用承诺) — the form, the signature step, the 容缺 supply,
the exclusion rule, my commitments (SQLite and PostgreSQL, frozen clock 2026-09-30 10:00)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from workflows.people.access import Actor
from workflows.kinds.commitment.templates import TYPES, default_text
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.commitments import Commitment

from tests.support.letters import drain_app_letters
from tests.support.portal import page
from tests.support.subjects import COMPANY
from tests.support.web import login

DEPARTMENT = Actor("dept1", frozenset({"department"}), department_code="QZ-SCJG")


def commitment_form(commitment_type: str = "certification", /, **changes) -> dict:
    form = {"commitment_type": commitment_type, "matter": "食品经营许可证延续", "content": "按期完成整改",
            "liability": "承担虚假承诺的法律责任并接受失信惩戒", "disclosure": "public", "department_code": "QZ-SCJG",
            "valid_until": "", "verify_on": "2026-12-01",
            "deficiency_materials": "营业场所产权证明" if commitment_type == "deficiency_acceptance" else ""}
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def commit_by_form(client, commitment_type: str = "certification", **changes) -> int:
    response = client.post("/portal/commitments/new", data=commitment_form(commitment_type, **changes))
    assert response.status_code == 302, page(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def open_task(store, case_id: int, bpmn_id: str) -> HumanTask | None:
    with store.read() as session:
        return session.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                                       HumanTask.state == "ready")).first()


def version_of(store, case_id: int) -> int:
    with store.read() as session:
        return session.get(Case, case_id).version


def confirm(client, store, case_id: int, **changes):
    task = open_task(store, case_id, "confirm")
    data = {"confirmed": "y", "signer": "陈志明", "task_id": task.id if task else "",
            "version": str(version_of(store, case_id)), **changes}
    return client.post(f"/portal/cases/{case_id}/confirm", data={k: v for k, v in data.items() if v is not None})


def accept(runtime, store, case_id: int) -> None:
    task = open_task(store, case_id, "accept")
    runtime.engine.complete_task(task.id, {"decision": "accept"}, DEPARTMENT)


def register_row(store, case_id: int) -> Commitment:
    with store.read() as session:
        return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).one()


def counts(store) -> tuple[int, int]:
    with store.read() as session:
        return (session.scalar(select(func.count()).select_from(Case)),
                session.scalar(select(func.count()).select_from(Commitment)))


def my_row(client, code: str) -> str:
    html = page(client.get("/portal/commitments"))
    match = re.search(rf'<tr data-commitment="{code}">(.*?)</tr>', html, re.S)
    assert match, html
    return match.group(1)


def test_home_links_to_making_and_listing_commitments(client, world):
    login(client, "applicant1")
    html = page(client.get("/portal/"))
    assert "/portal/commitments/new" in html and "作出信用承诺" in html
    assert 'href="/portal/commitments"' in html and "我的承诺" in html


def test_the_form_offers_six_types_and_shows_the_standard_text_of_the_chosen_one(client, world):
    login(client, "applicant1")
    choose = page(client.get("/portal/commitments/new"))
    assert all(name in choose for name in TYPES.values()) and "commitment-form" not in choose
    html = page(client.get("/portal/commitments/new?type=certification"))
    assert all(line in html for line in default_text("certification").splitlines())
    assert "以承诺替代相关证明材料" in html and "补齐容缺材料" not in html
    assert all(label in html for label in ("承诺事由", "承诺内容", "违诺责任", "有效期至", "公开类型", "受理单位"))
    assert '<option selected value="QZ-SCJG">泉州市市场监督管理局</option>' in html
    assert "可向社会公开" in html and "特定范围内公开" in html and "不可公开" in html
    deficiency = page(client.get("/portal/commitments/new?type=deficiency_acceptance"))
    assert "容缺材料" in deficiency and default_text("deficiency_acceptance").splitlines()[0] in deficiency


def test_filing_creates_the_register_row_and_shows_the_letter(client, store, world):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    row = register_row(store, case_id)
    assert len(row.code) == 20 and row.code.startswith("35050020260930")
    assert (row.status, row.commitment_type, row.department_code, row.matter) == (
        "filed", "certification", "QZ-SCJG", "食品经营许可证延续")
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "信用承诺书 <span class=\"badge bg-secondary\">生成中</span>" in html  # numbered, rendered after the commit
    drain_app_letters(client)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert f"信用承诺 #{case_id}" in html and row.code in html and "证明事项告知承诺型" in html
    assert re.search(r'<a href="/api/v1/letters/\d+\.pdf">信用承诺书</a>', html)
    assert "我已阅读并确认以上承诺" in html and "签署人姓名" in html and "请阅读并确认签署信用承诺书" in html
    assert "以承诺替代相关证明材料" in html  # the exact text accepted, shown where it is signed
    assert "withdraw-form" not in html
    letter_url = re.search(r'href="(/api/v1/letters/\d+\.pdf)"', html).group(1)
    assert client.get(letter_url).data.startswith(b"%PDF-")


def test_confirming_in_the_portal_moves_the_case_to_the_department(client, store, world):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    response = confirm(client, store, case_id)
    assert response.status_code == 302, page(response)
    assert open_task(store, case_id, "confirm") is None and open_task(store, case_id, "accept") is not None
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "confirm-form" not in html and "待受理" in html and "等待受理单位受理" in html
    assert "完成任务“承诺人确认签署”" in html  # the signature is on the timeline


@pytest.mark.parametrize("changes, message, status", [
    ({"confirmed": None}, "须勾选确认", 400),
    ({"signer": " "}, "请填写签署人姓名", 400),
    ({"version": "1"}, "案件已被他人更新", 409),
])
def test_a_bad_or_stale_signature_is_refused_and_the_task_stays_open(client, store, world, changes, message, status):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    with store.write() as uow:  # someone else touched the case meanwhile: version 2
        uow.session.get(Case, case_id).version = 2
        uow.commit()
    response = confirm(client, store, case_id, **changes)
    assert response.status_code == status and message in page(response)
    assert open_task(store, case_id, "confirm") is not None


def test_exclusion_refusal_names_the_record_and_stores_nothing(client, store, make_record):
    make_record("2026-05-10", severity="serious", no="泉市监罚〔2026〕99号")
    login(client, "applicant1")
    response = client.post("/portal/commitments/new", data=commitment_form("certification"))
    html = page(response)
    assert response.status_code == 422
    assert "泉市监罚〔2026〕99号" in html and "请先完成信用修复，或选择其他承诺类型" in html
    assert "食品经营许可证延续" in html  # what was typed stays in the form
    assert counts(store) == (0, 0)
    assert commit_by_form(client, "voluntary_disclosure")  # not a 告知承诺 type: allowed


@pytest.mark.parametrize("commitment_type, changes, messages", [
    ("certification", {"liability": "", "matter": " "}, ["请填写违诺责任", "请填写承诺事由"]),
    ("deficiency_acceptance", {"deficiency_materials": ""}, ["容缺受理须列明容缺材料"]),
    ("certification", {"valid_until": "31/12/2026", "department_code": ""}, ["日期格式应为 2026-12-31", "请选择受理单位"]),
    ("nonsense", {}, ["请选择承诺类型"]),
])
def test_bad_input_is_shown_next_to_the_fields_and_stores_nothing(client, store, world, commitment_type, changes,
                                                                  messages):
    login(client, "applicant1")
    response = client.post("/portal/commitments/new", data=commitment_form(commitment_type, **changes))
    html = page(response)
    assert response.status_code == 400
    assert all(re.search(rf'invalid-feedback[^>]*>\s*{re.escape(m)}', html) for m in messages), html
    assert counts(store) == (0, 0)


def test_another_applicant_gets_404_on_my_commitment(app, client, store, world):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    other = app.test_client()
    login(other, "applicant2")
    assert other.get(f"/portal/cases/{case_id}").status_code == 404
    assert confirm(other, store, case_id).status_code == 404
    assert other.post(f"/portal/cases/{case_id}/supply", data={"supplied": "x"}).status_code == 404
    assert register_row(store, case_id).code not in page(other.get("/portal/commitments"))
    assert open_task(store, case_id, "confirm") is not None  # nothing changed


def test_my_commitments_list_the_status_in_chinese(client, runtime, store, world):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    code = register_row(store, case_id).code
    row = my_row(client, code)
    assert "待确认" in row and "证明事项告知承诺型" in row and "食品经营许可证延续" in row
    assert "泉州市市场监督管理局" in row and "信用承诺书" in row and f"/portal/cases/{case_id}" in row
    confirm(client, store, case_id)
    assert "待受理" in my_row(client, code)
    accept(runtime, store, case_id)
    assert "已受理" in my_row(client, code)


def test_deficiency_materials_are_supplied_in_the_portal_by_the_deadline(client, runtime, store, world):
    login(client, "applicant1")
    case_id = commit_by_form(client, "deficiency_acceptance")
    confirm(client, store, case_id)
    accept(runtime, store, case_id)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "supply-form" in html and "补齐期限：2026-11-03 23:59" in html and "营业场所产权证明" in html
    assert "请于 2026-11-03 23:59 前补齐容缺材料" in page(client.get("/portal/"))
    task = open_task(store, case_id, "supply")
    empty = client.post(f"/portal/cases/{case_id}/supply",
                        data={"supplied": "", "task_id": task.id, "version": str(version_of(store, case_id))})
    assert empty.status_code == 400 and "必填" in page(empty)
    done = client.post(f"/portal/cases/{case_id}/supply", data={
        "supplied": "已补交营业场所产权证明", "task_id": task.id, "version": str(version_of(store, case_id))})
    assert done.status_code == 302, page(done)
    assert open_task(store, case_id, "supply") is None
    assert "supply-form" not in page(client.get(f"/portal/cases/{case_id}"))


@pytest.mark.parametrize("decision, fulfilment, shown", [
    ({"decision": "reject", "reason": "材料不符"}, None, "不予受理"),
    ({"decision": "accept"}, {"fulfilment": "full"}, "已践诺"),
    ({"decision": "accept"}, {"fulfilment": "partial", "unfulfilled": "未按期整改"}, "已违诺"),
])
def test_the_outcome_is_shown_on_the_case_and_in_my_list(client, runtime, store, clock, world, decision,
                                                          fulfilment, shown):
    login(client, "applicant1")
    case_id = commit_by_form(client)
    confirm(client, store, case_id)
    runtime.engine.complete_task(open_task(store, case_id, "accept").id, decision, DEPARTMENT)
    if fulfilment:
        clock.set("2026-12-01T09:00:01+08:00")
        runtime.engine.fire_due_timers()
        runtime.engine.complete_task(open_task(store, case_id, "verify").id, fulfilment, DEPARTMENT)
    if fulfilment and fulfilment["fulfilment"] == "partial":  # due process: the party is heard first
        runtime.engine.complete_task(open_task(store, case_id, "statement").id, {"waived": True},
                                     Actor("applicant1", frozenset({"applicant"}), subject_code=COMPANY))
        runtime.engine.complete_task(open_task(store, case_id, "decide").id, {"decision": "confirm"}, DEPARTMENT)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert f"已办结 · {shown}" in html
    assert shown in my_row(client, register_row(store, case_id).code)
    if fulfilment and fulfilment["fulfilment"] == "partial":
        assert "部分履行" in html and "未按期整改" in html and "违诺告知书" in html
    elif fulfilment:
        assert "全部履行" in html


def test_the_party_states_and_defends_in_the_portal_before_the_department_decides(client, runtime, store, clock,
                                                                                   world):
    """违诺告知 → 陈述申辩 in the portal (with evidence) → the department sees it → nothing
    recorded until it decides (DOMAIN.md §I)."""
    from tests.support.files import pdf_bytes
    from workflows.core.models.attachments import Attachment
    from workflows.core.models.records import CreditRecord

    login(client, "applicant1")
    case_id = commit_by_form(client)
    confirm(client, store, case_id)
    accept(runtime, store, case_id)
    clock.set("2026-12-01T09:00:01+08:00")
    runtime.engine.fire_due_timers()
    runtime.engine.complete_task(open_task(store, case_id, "verify").id,
                                 {"fulfilment": "partial", "unfulfilled": "未按期整改"}, DEPARTMENT)
    html = page(client.get(f"/portal/cases/{case_id}"))
    assert "statement-form" in html and "陈述申辩期限" not in html  # the applicant's form, not the desk's
    assert "2026-12-08 23:59" in html and "拟认定违诺" in html  # 5 working days after 12-01
    assert "2026-12-08 23:59" in page(client.get("/portal/"))
    task = open_task(store, case_id, "statement")
    empty = client.post(f"/portal/cases/{case_id}/statement",
                        data={"statement": "", "task_id": task.id, "version": str(version_of(store, case_id))})
    assert empty.status_code == 400 and "陈述申辩意见" in page(empty)
    too_long = client.post(f"/portal/cases/{case_id}/statement",
                           data={"statement": "长" * 4001, "task_id": task.id, "version": str(version_of(store, case_id))})
    assert too_long.status_code == 400
    assert open_task(store, case_id, "statement") is not None
    done = client.post(f"/portal/cases/{case_id}/statement", content_type="multipart/form-data", data={
        "statement": "因疫情封控延误整改，已于12月3日完成", "task_id": task.id, "version": str(version_of(store, case_id)),
        "files": [(__import__("io").BytesIO(pdf_bytes()), "整改完成证明.pdf")]})
    assert done.status_code == 302, page(done)
    assert open_task(store, case_id, "statement") is None and open_task(store, case_id, "decide") is not None
    with store.read() as session:
        assert session.scalars(select(Attachment.filename).where(Attachment.case_id == case_id)).all() == ["整改完成证明.pdf"]
        assert session.scalar(select(func.count()).select_from(CreditRecord)) == 0
    assert register_row(store, case_id).status == "breach_pending"
    client.post("/logout")
    login(client, "dept1")
    desk = page(client.get(f"/desk/cases/{case_id}"))
    assert 'id="decision-confirm"' in desk and "因疫情封控延误整改，已于12月3日完成" in desk
