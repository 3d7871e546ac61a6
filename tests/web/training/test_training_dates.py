"""A training session is announced ahead: its start is after now (page and API alike)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.support.training import SESSION
from tests.support.web import headers, login
from workflows.core.clock import to_local
from workflows.core.models.training import TrainingSession


def _sessions(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(TrainingSession))


def test_a_session_starting_in_the_past_is_refused(client, people, store, clock):
    gone = to_local(clock.now()) - timedelta(days=2)
    refused = client.post("/api/v1/training/sessions", headers=headers(client, "admin1"),
                          json=SESSION | {"starts_at": gone.isoformat(timespec="seconds")})
    assert refused.status_code == 422 and refused.get_json()["fields"]["starts_at"].startswith("培训时间已过")
    login(client, "admin1")
    page = client.post("/training/new", data={**SESSION, "starts_at": gone.strftime("%Y-%m-%dT%H:%M"), "capacity": "30"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "培训时间已过" in html and SESSION["course"] in html
    assert _sessions(store) == 0
