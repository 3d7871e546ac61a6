"""The `/warnings` pages: department scoping, the evidence, the admin's scan button (CSRF), closing."""
from __future__ import annotations

from sqlalchemy import select

from webapp import create_app
from workflows.core.models.warnings import EarlyWarning

from tests.support.warnings import warning_id
from tests.support.web import PASSWORD, csrf_token_from, login


def scan_now(client):
    return client.post("/warnings/scan", follow_redirects=True)


def test_admin_scans_and_sees_the_report_the_warnings_and_their_evidence(client, world, store):
    login(client, "admin1")
    page = client.get("/warnings/").get_data(as_text=True)
    assert "信用风险预警" in page and 'id="scan-form"' in page and "暂无预警" in page
    response = scan_now(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "新增 2 条、更新 0 条、未变 0 条" in page
    assert "测试企业21有限公司" in page and "测试企业22有限公司" in page and "测试企业23有限公司" not in page
    assert "365 天内受到 3 个部门处罚（阈值 3）" in page and "严重失信主体名单 2 条（阈值 2）" in page
    assert "厦门市生态环境局" in page and "厦罚〔2026〕" in page and "行政处罚" in page  # names, evidence
    many = warning_id(store, world["many"])
    assert f'href="/desk/interviews/new?warning={many}"' in page and "发起约谈" in page
    assert "新增 0 条、更新 0 条、未变 2 条" in scan_now(client).get_data(as_text=True)
    nav = client.get("/").get_data(as_text=True)
    assert 'href="/warnings"' in nav


def test_departments_see_only_warnings_in_their_inbox(app, client, world, store):
    login(client, "admin1")
    scan_now(client)
    many, listed = warning_id(store, world["many"]), warning_id(store, world["listed"])
    dept1 = app.test_client()
    login(dept1, "dept1")
    page = dept1.get("/warnings/").get_data(as_text=True)
    assert f'data-warning="{many}"' in page and f'data-warning="{listed}"' not in page
    assert 'id="scan-form"' not in page
    assert dept1.get(f"/warnings/{listed}").status_code == 404
    assert dept1.post("/warnings/scan").status_code == 403
    dept2 = app.test_client()
    login(dept2, "dept2")
    page = dept2.get("/warnings/").get_data(as_text=True)
    assert f'data-warning="{many}"' in page and f'data-warning="{listed}"' in page
    reviewer = app.test_client()
    login(reviewer, "reviewer1")
    page = reviewer.get("/warnings/").get_data(as_text=True)
    assert f'data-warning="{listed}"' in page and "发起约谈" not in page and 'id="scan-form"' not in page
    assert reviewer.post(f"/warnings/{many}/close", data={"note": "x"}).status_code == 403


def test_closing_from_the_detail_page(app, client, world, store):
    login(client, "admin1")
    scan_now(client)
    many, listed = warning_id(store, world["many"]), warning_id(store, world["listed"])
    dept1 = app.test_client()
    login(dept1, "dept1")
    detail = dept1.get(f"/warnings/{many}").get_data(as_text=True)
    assert "泉州市市场监督管理局（QZ-SCJG）" in detail and world["many"] in detail and 'id="close-form"' in detail
    refused = dept1.post(f"/warnings/{many}/close", data={"note": "  "})
    assert refused.status_code == 400 and "请填写关闭预警的说明" in refused.get_data(as_text=True)
    assert dept1.post(f"/warnings/{listed}/close", data={"note": "已整改"}).status_code == 404
    closed = dept1.post(f"/warnings/{many}/close", data={"note": "已约谈，企业已整改"}, follow_redirects=True)
    page = closed.get_data(as_text=True)
    assert "预警已关闭" in page and "已约谈，企业已整改" in page and "dept1" in page
    assert dept1.post(f"/warnings/{many}/close", data={"note": "again"}).status_code == 409
    assert f'data-warning="{many}"' not in dept1.get("/warnings/").get_data(as_text=True)
    assert f'data-warning="{many}"' in dept1.get("/warnings/?status=closed").get_data(as_text=True)
    assert dept1.get("/warnings/?status=nonsense").status_code == 400


def test_pages_need_a_staff_login(app, client, world):
    assert client.get("/warnings/").status_code == 302  # to the login page
    auditor = app.test_client()
    login(auditor, "auditor1")
    assert auditor.get("/warnings/").status_code == 200
    assert auditor.post("/warnings/scan").status_code == 403


def test_scan_button_needs_the_csrf_token(runtime, world, store):
    app = create_app({"TESTING": True, "RUNTIME": runtime})  # CSRF on, as in production
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "admin1", "password": PASSWORD, "csrf_token": token})
    page = client.get("/warnings/").get_data(as_text=True)
    assert client.post("/warnings/scan").status_code == 400
    with store.read() as session:
        assert session.scalars(select(EarlyWarning)).all() == []
    form = page[page.index('id="scan-form"'):]
    response = client.post("/warnings/scan", data={"csrf_token": csrf_token_from(form)})
    assert response.status_code == 302
    with store.read() as session:
        assert len(session.scalars(select(EarlyWarning)).all()) == 2
