"""Served over HTTPS, cookies carry `Secure`; the settings come from the environment."""
from __future__ import annotations

from dataclasses import replace

from tests.support.web import login
from webapp import create_app
from workflows.core.config import load_settings


def _session_cookie_header(client) -> str:
    response = login(client, "admin1")
    assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_secure_when_configured(runtime, users):
    secure = replace(runtime, settings=replace(runtime.settings, secure_cookies=True))
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": secure})
    cookie = _session_cookie_header(app.test_client())
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_plain_http_default_leaves_secure_off(client, users):
    assert "Secure" not in _session_cookie_header(client)  # else a local http:// install can't log in


def test_settings_from_the_environment():
    assert load_settings({}).secure_cookies is False and load_settings({}).trusted_proxies == 0
    https = load_settings({"CREDIT_CASES_PUBLIC_URL": "https://credit.example.gov.cn"})
    assert https.secure_cookies is True  # an https public URL implies it
    assert load_settings({"CREDIT_CASES_PUBLIC_URL": "https://x", "CREDIT_CASES_SECURE_COOKIES": "0"}).secure_cookies is False
    assert load_settings({"CREDIT_CASES_SECURE_COOKIES": "true"}).secure_cookies is True
    assert load_settings({"CREDIT_CASES_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
