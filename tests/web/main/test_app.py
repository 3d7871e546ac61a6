"""App-wide behaviour: probes, the OpenAPI document, error shapes, i18n, local assets."""
from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlalchemy import create_engine

from tests.support.web import bearer, token_for
from webapp import create_app
from webapp.i18n import TRANSLATIONS_DIR, compile_translations, localtime
from workflows.core.store import Store

WEBAPP = Path(__file__).resolve().parents[3] / "webapp"
PO = TRANSLATIONS_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po"


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ok"}


def test_readyz_is_503_when_the_database_is_unreachable(runtime, tmp_path):
    broken = create_engine(f"sqlite:///{tmp_path}")  # a directory: cannot be opened
    app = create_app({"TESTING": True, "RUNTIME": dataclasses.replace(runtime, store=Store(broken))})
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503 and response.get_json()["status"] == "unavailable"
    finally:
        broken.dispose()


def test_openapi_lists_the_routes_with_their_security(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    assert {"/api/v1/auth/token", "/api/v1/calendar/deadline", "/api/v1/calendar/overrides",
            "/api/v1/calendar/overrides/{day}", "/api/v1/openapi.json", "/healthz",
            "/readyz"} <= set(paths)
    assert "security" not in paths["/api/v1/calendar/deadline"]["get"]
    create = paths["/api/v1/calendar/overrides"]["post"]
    assert create["x-roles"] == ["admin"] and create["security"] == [{"bearerAuth": []}]
    assert {"201", "400", "401", "403"} <= set(create["responses"])
    assert paths["/api/v1/calendar/overrides/{day}"]["delete"]["parameters"][0]["name"] == "day"


def test_api_errors_share_one_shape_with_chinese_messages(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "not_found", "message": "未找到请求的资源。", "fields": {}}
    assert "\\u" not in missing.get_data(as_text=True)  # Chinese is not escaped
    wrong_method = client.put("/api/v1/calendar/deadline")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]


def test_oversized_requests_get_413(client, users):
    token = token_for(client, "admin1")
    body = b"x" * (11 * 1024 * 1024)
    response = client.post("/api/v1/calendar/overrides", data=body, headers={
        **bearer(token), "Content-Type": "application/json"})
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"


def test_html_errors_are_chinese_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "text/html" in response.content_type
    assert "未找到请求的资源" in response.get_data(as_text=True)


def test_pages_load_bootstrap_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in page.lower() and "https://" not in page
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_localtime_shows_shanghai_time():
    assert localtime(datetime(2026, 10, 8, 15, 59)) == "2026-10-08 23:59"  # naive = UTC
    assert localtime(datetime(2026, 10, 8, 15, 59, tzinfo=timezone.utc)) == "2026-10-08 23:59"
    assert localtime(None) == ""


def test_catalog_is_compiled_when_missing_or_stale(tmp_path):
    source = tmp_path / "zh_CN" / "LC_MESSAGES"
    source.mkdir(parents=True)
    shutil.copy(PO, source / "messages.po")
    [mo] = compile_translations(tmp_path)
    assert mo == tmp_path / "zh_Hans_CN" / "LC_MESSAGES" / "messages.mo"
    assert compile_translations(tmp_path) == []
    later = mo.stat().st_mtime + 10
    os.utime(source / "messages.po", (later, later))
    assert compile_translations(tmp_path) == [mo]


def test_every_ui_message_has_a_chinese_translation():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    method_map = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}
    missing = {message for _file, _line, message, _comments, _context in
               extract_from_dir(str(WEBAPP), method_map, keywords=keywords)
               if not (catalog.get(message) and catalog.get(message).string)}
    assert not missing, f"add these msgids to {PO}: {sorted(missing)}"


def test_unexpected_exceptions_become_a_500_in_the_api_shape(runtime):
    app = create_app({"RUNTIME": runtime})  # not TESTING: exceptions are handled, not raised

    def boom():
        raise RuntimeError("secret detail")
    app.add_url_rule("/api/v1/boom", view_func=boom)
    app.add_url_rule("/boom", view_func=boom)
    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500 and response.get_json()["error"] == "internal"
    assert "secret detail" not in response.get_data(as_text=True)
    page = app.test_client().get("/boom")
    assert page.status_code == 500 and "服务器内部错误" in page.get_data(as_text=True)


def test_domain_errors_keep_their_status_and_fields(client, users):
    token = token_for(client, "admin1")
    response = client.post("/api/v1/calendar/overrides", headers=bearer(token),
                           json={"day": "2026-10-02", "working": True, "note": "长" * 201})
    body = response.get_json()
    assert response.status_code == 400 and body["fields"] == {"note": "过长"}
