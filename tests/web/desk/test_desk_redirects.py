"""Desk actions go back only to pages of this site: `next` and the Referer cannot send anyone away."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.flow_kinds import DATA_DIR
from tests.support.web import login
from webapp.security import local_path
from workflows.core.models.cases import HumanTask
from workflows.people.access import Actor

EVIL = ("https://evil.example/x", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
        "javascript:alert(1)", "evil.example/x", "http://localhost.evil.example/", "/\tx")


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


@pytest.fixture
def task_id(case, runtime) -> str:
    with runtime.store.read() as session:
        return session.scalars(select(HumanTask.id)).one()


@pytest.mark.parametrize("target", EVIL)
def test_local_path_refuses_other_sites(app, target):
    with app.test_request_context("/", base_url="http://localhost"):
        assert local_path(target) is None


def test_local_path_keeps_own_paths_and_own_absolute_urls(app):
    with app.test_request_context("/", base_url="http://localhost"):
        assert local_path("/desk/?view=mine") == "/desk/?view=mine"
        assert local_path("http://localhost/desk/cases/1") == "/desk/cases/1"
        assert local_path(None) is None and local_path("") is None


def test_claim_ignores_an_external_next(client, case, task_id):
    login(client, "reviewer1")
    for target in EVIL[:3]:
        response = client.post(f"/desk/tasks/{task_id}/claim", data={"next": target})
        assert response.headers["Location"] == f"/desk/cases/{case.id}", target
        client.post(f"/desk/tasks/{task_id}/unclaim")


def test_claim_follows_a_local_next(client, case, task_id):
    login(client, "reviewer1")
    response = client.post(f"/desk/tasks/{task_id}/claim", data={"next": "/desk/?view=mine"})
    assert response.headers["Location"] == "/desk/?view=mine"


def test_a_refused_claim_ignores_an_external_referer(client, case, task_id, runtime):
    runtime.engine.claim(task_id, Actor("reviewer2", frozenset({"reviewer"})))
    login(client, "reviewer1")
    response = client.post(f"/desk/tasks/{task_id}/claim", headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/desk/"


def test_bulk_reassign_ignores_an_external_next(client, case, task_id):
    login(client, "supervisor1")
    response = client.post("/desk/tasks/reassign", data={"assignee": "reviewer2", "task_ids": [task_id],
                                                         "next": "//evil.example/"})
    assert response.headers["Location"] == "/desk/"
