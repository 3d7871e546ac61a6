"""Dates checked against today (the frozen clock) and each other, in the operation: the API
answers 422 naming the field, the desk and portal show the error beside it, nothing is filed."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from workflows.core.clock import to_local
from workflows.core.models.cases import Case

from tests.support.api_cases import case_of, commit, start_interview
from tests.support.web import bearer, login, token_for


def _cases(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


def _today(clock):
    return to_local(clock.now()).date()


def _at(clock, days: int) -> str:
    return (to_local(clock.now()) + timedelta(days=days)).isoformat(timespec="seconds")


def test_an_interview_in_the_past_is_refused_through_the_api(client, clock, store, make_record):
    record_id = make_record("2026-05-10")
    refused = start_interview(client, token_for(client, "dept1"), [record_id], scheduled_at=_at(clock, -4))
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["fields"]["scheduled_at"].startswith("约谈时间已过")
    assert _cases(store) == 0
    assert start_interview(client, token_for(client, "dept1"), [record_id], scheduled_at=_at(clock, 5)).status_code == 201


def test_an_interview_in_the_past_is_refused_on_the_desk_with_the_input_kept(client, clock, store, make_record):
    record_id = make_record("2026-05-10")
    login(client, "dept1")
    gone = (to_local(clock.now()) - timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(f"/desk/interviews/new?record={record_id}", data={
        "record": record_id, "record_ids": [record_id], "interview_kind": "prompt", "scheduled_at": gone,
        "place": "泉州市行政服务中心3楼约谈室", "officers": "陈静、林峰"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "约谈时间已过" in page and f'value="{gone}"' in page and 'value="泉州市行政服务中心3楼约谈室"' in page
    assert _cases(store) == 0


def test_a_reschedule_to_a_past_time_changes_nothing(client, clock, make_record):
    doc = start_interview(client, token_for(client, "dept1"), [make_record("2026-05-10")],
                          scheduled_at=_at(clock, 12)).get_json()
    app1 = token_for(client, "applicant1")
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(app1),
                        json={"scheduled_at": _at(clock, -1), "reason": "出差"})
    assert moved.status_code == 422 and "scheduled_at" in moved.get_json()["fields"]
    assert case_of(client, app1, doc["id"])["version"] == doc["version"]


def test_a_commitment_cannot_lapse_or_be_verified_before_today(client, clock, store, world):
    app1 = token_for(client, "applicant1")
    yesterday, later = _today(clock) - timedelta(days=1), _today(clock) + timedelta(days=60)
    past = commit(client, app1, valid_until=(_today(clock) - timedelta(days=900)).isoformat(),
                  verify_on=(_today(clock) - timedelta(days=1000)).isoformat())
    assert past.status_code == 422
    assert set(past.get_json()["fields"]) == {"valid_until", "verify_on"}
    late = commit(client, app1, valid_until=later.isoformat(), verify_on=(later + timedelta(days=1)).isoformat())
    assert late.status_code == 422 and late.get_json()["fields"]["verify_on"].startswith("核查日期不能晚于有效期")
    assert commit(client, app1, verify_on=yesterday.isoformat()).status_code == 422
    assert _cases(store) == 0
    assert commit(client, app1, valid_until=later.isoformat(), verify_on=_today(clock).isoformat()).status_code == 201


def test_the_portal_shows_a_past_verification_date_beside_its_field(client, clock, store, world):
    login(client, "applicant1")
    gone = (_today(clock) - timedelta(days=30)).isoformat()
    refused = client.post("/portal/commitments/new", data={
        "commitment_type": "certification", "matter": "食品经营许可证延续", "content": "按期完成整改",
        "liability": "承担虚假承诺的法律责任并接受失信惩戒", "disclosure": "public", "department_code": "QZ-SCJG",
        "valid_until": "", "verify_on": gone})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "核查日期不能早于今天" in page and f'value="{gone}"' in page and "食品经营许可证延续" in page
    assert _cases(store) == 0
