"""Logging out ends the session on the server: a copied session cookie is refused afterwards."""
from __future__ import annotations

from tests.support.web import login


def _stolen_copy(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_replayed_cookie_after_logout_is_sent_to_login(app, client, users):
    login(client, "admin1")
    thief = _stolen_copy(app, client)
    assert thief.get("/desk/").status_code == 200  # the copy works while the session lives
    client.post("/logout")
    response = thief.get("/desk/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_replayed_cookie_after_logout_gets_401_from_the_api(app, client, users):
    login(client, "admin1")
    thief = _stolen_copy(app, client)
    assert thief.get("/api/v1/records").status_code == 200
    client.post("/logout")
    response = thief.get("/api/v1/records")
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_logging_in_again_after_logout_works(client, users):
    login(client, "admin1")
    client.post("/logout")
    assert login(client, "admin1").status_code == 302
    assert client.get("/desk/").status_code == 200
