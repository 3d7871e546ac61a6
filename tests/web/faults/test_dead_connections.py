"""Backends terminated between requests (issue 13): a read runs again on a fresh connection, a
write answers 503 with Retry-After and writes nothing, and the pool recovers."""
from __future__ import annotations

import pytest

from workflows.core.models.cases import Case

from tests.conftest import PG_URL
from tests.support.api_cases import file_request
from tests.support.db import count
from tests.support.faults import fresh_store, terminate_backends
from tests.support.web import PASSWORD, bearer, login, token_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def filed(client, make_record) -> dict:
    """A repair case, an applicant's token, a record for another filing; the pool is warm."""
    token = token_for(client, "applicant1")
    doc = file_request(client, token, [make_record("2026-05-10")]).get_json()
    return {"token": token, "case": doc, "record": make_record("2026-05-11")}


def test_a_read_runs_again_on_a_fresh_connection(client, filed, caplog):
    assert terminate_backends(PG_URL) >= 1
    answer = client.get(f"/api/v1/cases/{filed['case']['id']}", headers=bearer(filed["token"]))
    assert answer.status_code == 200 and answer.get_json()["id"] == filed["case"]["id"]
    assert "running it again" in caplog.text


def test_an_api_write_answers_503_writes_nothing_and_the_retry_succeeds(client, filed):
    assert terminate_backends(PG_URL) >= 1
    refused = file_request(client, filed["token"], [filed["record"]])
    assert refused.status_code == 503, refused.get_json()
    assert refused.headers["Retry-After"] == "5"
    assert refused.get_json() == {"error": "unavailable", "message": "数据库连接中断，请稍后重试。", "fields": {}}
    assert count(fresh_store(PG_URL), Case, Case.kind == "repair") == 1  # (each opens a commitment case too)
    again = file_request(client, filed["token"], [filed["record"]])  # the pool has recovered
    assert again.status_code == 201, again.get_json()
    assert count(fresh_store(PG_URL), Case, Case.kind == "repair") == 2


def test_a_page_write_answers_503_with_a_chinese_page(client, filed):
    assert terminate_backends(PG_URL) >= 1
    page = client.post("/login", data={"username": "reviewer1", "password": PASSWORD})
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "数据库连接中断，请稍后重试。" in page.get_data(as_text=True)
    assert login(client, "reviewer1").status_code == 302  # signed in on the retry


def test_a_signed_in_page_survives_the_blip(client, filed):
    login(client, "reviewer1")
    assert terminate_backends(PG_URL) >= 1
    page = client.get("/desk/")
    assert page.status_code == 200 and "login" not in page.request.path  # not signed out by the blip
