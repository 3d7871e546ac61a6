"""A record whose category of misconduct is non-repairable under its regime (DMN
record_repairability) is refused at the door with a 不予受理 letter, like the manual tick; the
record page and the API say why. Over HTTP on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tests.support.api_cases import SUBJECT_A, file_request, letter_text
from tests.support.records import record_data
from tests.support.web import bearer, token_for


def _record(client, **changes) -> dict:
    body = record_data(subject_code=SUBJECT_A, **changes)
    done = client.post("/api/v1/records", json=body, headers=bearer(token_for(client, "dept1")))
    assert done.status_code == 201, done.get_json()
    return done.get_json()


@pytest.mark.parametrize("today, changes, basis", [
    ("2023-10-09T10:00:00+08:00", {"decision_date": "2023-03-01", "severity": "serious", "sector": "food",
                                   "misconduct_category": "licence_revoked", "decision_no": "泉市监罚〔2023〕5号"}, "527号"),
    ("2026-09-30T10:00:00+08:00", {"misconduct_category": "telecom_fraud"}, "令2025年第36号"),
])
def test_non_repairable_category_is_not_accepted(client, clock, world, today, changes, basis):
    clock.set(today)
    record = _record(client, **changes)
    assert record["non_repairable_by_category"] is True and basis in record["non_repairable_reason"]
    assert record["non_repairable"] is False  # nobody ticked it
    app1 = token_for(client, "applicant1")
    doc = file_request(client, app1, [record["id"]], training_certificate_no="PX-1").get_json()
    assert (doc["status"], doc["outcome"]) == ("completed", "not_accepted")
    refusal = next(item for item in doc["letters"] if item["type"] == "repair_refusal")
    assert "依法不予修复" in "".join(letter_text(client, app1, refusal).split())


def test_other_categories_stay_repairable(client, world):
    record = _record(client, misconduct_category="licence_revoked", sector="food")  # Order 36: not barred
    assert record["non_repairable_by_category"] is False
    doc = file_request(client, token_for(client, "applicant1"), [record["id"]]).get_json()
    assert doc["status"] == "running"


def test_a_bad_category_is_a_400_naming_the_field(client, world):
    done = client.post("/api/v1/records", json=record_data(misconduct_category="arson"),
                       headers=bearer(token_for(client, "dept1")))
    assert done.status_code == 400 and "misconduct_category" in done.get_json()["fields"]
