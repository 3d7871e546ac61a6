"""Interviews start from a record page or a warning; the form offers one designating department's
records ticked (谁认定、谁约谈), so submitting it as offered files the interview."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from workflows.core.clock import to_local
from workflows.core.models.cases import Case
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning

from tests.support.subjects import COMPANY
from tests.support.web import login


def _soon(clock) -> str:
    return (to_local(clock.now()) + timedelta(days=7)).strftime("%Y-%m-%dT09:30")


def _ticked(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="record_ids" value="(\d+)" id="r\d+" checked', page)]


def _submit_as_offered(client, url: str, page: str, clock, **extra):
    return client.post(url, data={"record_ids": _ticked(page), "interview_kind": "prompt", "scheduled_at": _soon(clock),
                                  "place": "泉州市行政服务中心3楼约谈室", "officers": "陈静、林峰", **extra})


def _case_departments(store) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(Case.department_code).where(Case.kind == "interview")))


def test_the_record_page_starts_an_interview(client, clock, store, make_record, other_department):
    record_id = make_record("2026-05-10")
    login(client, "dept2")  # another department: no button
    assert 'id="start-interview"' not in client.get(f"/records/{record_id}").get_data(as_text=True)
    client.post("/logout")
    login(client, "dept1")
    page = client.get(f"/records/{record_id}").get_data(as_text=True)
    link = re.search(r'id="start-interview" href="([^"]+)">发起约谈<', page).group(1)
    form = client.get(link).get_data(as_text=True)
    assert _ticked(form) == [record_id]
    filed = _submit_as_offered(client, link, form, clock, record=record_id)
    assert filed.status_code == 302 and "/desk/cases/" in filed.headers["Location"]
    assert _case_departments(store) == ["QZ-SCJG"]


def test_a_warning_ticks_one_departments_records_and_files_as_offered(client, clock, store, make_record,
                                                                        other_department):
    own, foreign = make_record("2026-05-10"), make_record("2026-05-11")
    with store.write() as uow:
        record = uow.session.get(CreditRecord, foreign)
        record.department_code, record.department_name = "QZ-STHJ", "泉州市生态环境局"
        warning = EarlyWarning(subject_code=COMPANY, subject_name="泉州市清源食品有限公司", status="open",
                               reasons={"departments_365d": 2}, evidence={"record_ids": [own, foreign]},
                               created_at=clock.now(), updated_at=clock.now())
        uow.session.add(warning)
        uow.commit()
        warning_id = warning.id
    login(client, "dept2")  # the officer of 生态环境局: its own record only, ticked
    url = f"/desk/interviews/new?warning={warning_id}"
    page = client.get(url).get_data(as_text=True)
    assert f'name="record_ids" value="{own}"' not in page and _ticked(page) == [foreign]
    client.post("/logout")
    login(client, "supervisor1")  # sees both departments' records, one department's ticked
    page = client.get(url).get_data(as_text=True)
    assert f'name="record_ids" value="{own}"' in page and f'name="record_ids" value="{foreign}"' in page and _ticked(page) == [own]
    filed = _submit_as_offered(client, url, page, clock, warning=warning_id)
    assert filed.status_code == 302, filed.get_data(as_text=True)
    assert _case_departments(store) == ["QZ-SCJG"]


def test_the_desk_form_without_a_source_points_to_the_records(client, store, world):
    login(client, "dept1")
    answer = client.get("/desk/interviews/new")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/records/")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
