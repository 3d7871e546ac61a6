"""The objection's rule options (objection_rules.dmn, issue 14 §3) changed by editing the table,
not the code: suspension from filing instead of acceptance, and upholding extends publicity by
the days the record was suspended. The product flows run from a copy of bpmn/ whose table says so."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.support.api_cases import case_of, complete, letter_text, record_doc
from tests.support.web import bearer, token_for
from tests.web.api.cases.test_objection_flow import accept_and_reach_verify, check, object_to
from workflows.core.config import PROJECT_ROOT


@pytest.fixture
def bpmn_dir(tmp_path) -> Path:
    copy = tmp_path / "bpmn"
    shutil.copytree(PROJECT_ROOT / "bpmn", copy)
    table = copy / "rules" / "objection_rules.dmn"
    text = table.read_text(encoding="utf-8")
    text = text.replace('<text>"acceptance"</text>', '<text>"filing"</text>').replace(
        '<outputEntry id="r_default_extend"><text>False</text>', '<outputEntry id="r_default_extend"><text>True</text>')
    assert '"filing"' in text and "<text>True</text>" in text
    table.write_text(text, encoding="utf-8")
    return copy


def test_filing_suspends_when_the_rules_say_so_and_every_letter_states_that_day(client, make_record, clock):
    record_id = make_record("2026-05-10")
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = object_to(client, app1, [record_id]).get_json()
    assert check(client, dept)["active_measures"] == [] and record_doc(client, dept, record_id)["publicity_status"] == "suspended"
    clock.set("2026-10-08T09:00:00+08:00")
    app1 = token_for(client, "applicant1")
    doc, _verify = accept_and_reach_verify(client, doc)
    accepted = letter_text(client, app1, next(l for l in doc["letters"] if l["type"] == "objection_acceptance"))
    assert "自2026年9月30日起至异议处理完毕，上述信息暂停公开" in accepted.replace("\n", "")


def test_uphold_extends_publicity_by_the_suspended_days_when_the_rules_say_so(client, make_record, clock):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    original_end = date.fromisoformat(record_doc(client, app1, record_id)["publicity_max_end"])
    doc, verify = accept_and_reach_verify(client, object_to(client, app1, [record_id]).get_json())
    clock.set("2026-10-10T10:00:00+08:00")  # ten days suspended
    dept = token_for(client, "dept1")
    done = complete(client, dept, verify["id"], doc["version"], outcome="uphold", reason="信息准确").get_json()
    record = record_doc(client, dept, record_id)
    extended = date.fromisoformat(record["publicity_max_end"])
    assert record["publicity_status"] == "public" and (extended - original_end).days == 10
    text = letter_text(client, dept, next(l for l in done["letters"] if l["type"] == "objection_outcome"))
    text = text.replace("\n", "")
    assert "上述信息已自2026年9月30日起暂停公开" in text
    assert f"公示期限按暂停天数顺延至{extended.year}年{extended.month}月{extended.day}日" in text


def test_withdrawal_before_acceptance_restores_what_filing_suspended(client, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    end = record_doc(client, app1, record_id)["publicity_max_end"]
    doc = object_to(client, app1, [record_id]).get_json()
    assert record_doc(client, app1, record_id)["publicity_status"] == "suspended"
    done = client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(app1)).get_json()
    assert done["outcome"] == "withdrawn"
    record = record_doc(client, app1, record_id)
    assert record["publicity_status"] == "public" and record["publicity_max_end"] == end
    assert len(check(client, token_for(client, "dept1"))["active_measures"]) == 2
    assert case_of(client, app1, doc["id"])["status"] == "completed"
