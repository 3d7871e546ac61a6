"""The inbox pages forward and back, with the total of the chosen tab under the list."""
from __future__ import annotations

import re

import pytest

from tests.support.flow_kinds import DATA_DIR
from tests.support.subjects import COMPANY as SUBJECT
from tests.support.web import login
from workflows.people.access import Actor


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def tasks(html: str) -> list[str]:
    return re.findall(r'data-task="([^"]+)"', html)


def test_inbox_pages_forward_and_back_with_the_total(client, runtime, people):
    reviewer = Actor("reviewer1", frozenset({"reviewer"}))
    for _ in range(103):
        runtime.engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    login(client, "reviewer1")
    first = client.get("/desk/?view=group").get_data(as_text=True)
    assert 'data-total="103"' in first and "共 103 项任务" in first
    assert link(first, "prev") is None and len(tasks(first)) == 50
    second = client.get(link(first, "next")).get_data(as_text=True)
    third = client.get(link(second, "next")).get_data(as_text=True)
    assert len(tasks(second)) == 50 and len(tasks(third)) == 3 and link(third, "next") is None
    assert len(set(tasks(first) + tasks(second) + tasks(third))) == 103
    back = client.get(link(third, "prev")).get_data(as_text=True)
    assert tasks(back) == tasks(second) and link(back, "next") and link(back, "prev")
    start = client.get(link(back, "prev")).get_data(as_text=True)
    assert tasks(start) == tasks(first) and link(start, "prev") is None
