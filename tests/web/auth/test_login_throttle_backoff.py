"""Each further failure doubles a username's lock; another address can't lock an office out.

Behind a trusted reverse proxy the throttle counts the client's address from X-Forwarded-For;
without one configured (the default), that header is ignored, so it cannot be forged.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.support.web import PASSWORD
from webapp import create_app
from workflows.people.login_throttle import lock_length

LOCKED = "登录失败次数过多"
PROXY = {"REMOTE_ADDR": "10.0.0.1"}


def login(client, username, password=PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def _fail(client, username="reviewer1", times=1):
    for _ in range(times):
        assert "用户名或密码错误" in login(client, username, "wrong password").get_data(as_text=True)


def _locked(client, username="reviewer1") -> bool:
    return LOCKED in login(client, username).get_data(as_text=True)


def test_lock_doubles_with_each_failure_and_is_capped():
    assert [lock_length(n) for n in (4, 5, 6, 7)] == [timedelta(0), timedelta(minutes=15),
                                                      timedelta(minutes=30), timedelta(hours=1)]
    assert lock_length(50) == timedelta(hours=4)


def test_a_failure_after_the_lock_locks_twice_as_long(client, users, clock):
    _fail(client, times=5)
    assert _locked(client)
    clock.set(clock.now() + timedelta(minutes=15, seconds=1))
    _fail(client)  # the sixth failure in a row
    clock.set(clock.now() + timedelta(minutes=29))
    assert _locked(client)  # 30 minutes now, not 15
    clock.set(clock.now() + timedelta(minutes=1, seconds=1))
    assert login(client, "reviewer1").status_code == 302  # and success starts afresh


@pytest.fixture
def proxied_app(runtime):
    proxied = replace(runtime, settings=replace(runtime.settings, trusted_proxies=1))
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": proxied})


def test_behind_a_trusted_proxy_one_attacker_does_not_lock_out_the_office(proxied_app, users):
    attacker, office = proxied_app.test_client(), proxied_app.test_client()
    for n in range(20):
        login(attacker, f"guess{n}", "wrong password", environ_base=PROXY,
              headers={"X-Forwarded-For": "203.0.113.9"})
    refused = login(attacker, "admin1", environ_base=PROXY, headers={"X-Forwarded-For": "203.0.113.9"})
    assert LOCKED in refused.get_data(as_text=True)
    welcomed = login(office, "admin1", environ_base=PROXY, headers={"X-Forwarded-For": "198.51.100.7"})
    assert welcomed.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, users):
    for n in range(20):
        login(client, f"guess{n}", "wrong password", headers={"X-Forwarded-For": f"198.51.100.{n}"})
    page = login(client, "admin1", headers={"X-Forwarded-For": "192.0.2.1"})
    assert LOCKED in page.get_data(as_text=True)  # the real address is the one counted
