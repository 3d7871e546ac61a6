"""The applicant portal's test subjects and the steps its tests share: log in, file by the form,
find an open task, ask for a supplement."""
from __future__ import annotations

from sqlalchemy import select

from workflows.people.access import Actor

from .subjects import COMPANY as SUBJECT_A
from .subjects import OTHER as SUBJECT_B
from .subjects import PERSON
from .web import login

NAMES = {SUBJECT_A: "泉州市清源食品有限公司（普通合伙）", SUBJECT_B: "厦门海沧建材贸易有限公司"}
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))


def page(response) -> str:
    return response.get_data(as_text=True)


def logged_in(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def repair_form(record_ids: list[int], **changes) -> dict:
    from workflows.kinds.repair.commitment_text import (
        repair_commitment_text,
        text_digest,
    )
    form = {"record_ids": [str(i) for i in record_ids], "reason": "已缴清罚款并完成整改",
            "rectification": "已下架问题食品并建立进货查验制度", "commitment_accepted": "y",
            "commitment_digest": text_digest(repair_commitment_text())}
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def file_by_form(client, record_id: int, **changes) -> int:
    response = client.post("/portal/repair/new", data=repair_form([record_id], **changes),
                           content_type="multipart/form-data")
    assert response.status_code == 302, page(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def open_task(runtime, case_id: int, bpmn_id: str):
    from workflows.core.models.cases import HumanTask
    with runtime.store.read() as session:
        return session.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                                       HumanTask.state == "ready")).first()


def ask_for_supplement(runtime, case_id: int) -> None:
    review = open_task(runtime, case_id, "first_review")  # the office's 本级审核 (Order 36)
    runtime.engine.complete_task(review.id, {"decision": "supplement", "reason": "缺少罚款缴纳凭证",
                                             "supplement_items": ["罚款缴纳凭证"]}, REVIEWER)


__all__ = ["NAMES", "PERSON", "REVIEWER", "SUBJECT_A", "SUBJECT_B", "ask_for_supplement", "file_by_form",
           "logged_in", "open_task", "page", "repair_form"]
