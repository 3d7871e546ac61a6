"""`/admin/calendar`: the HTML twin of the override API, for the credit office."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.web import login
from workflows.core.models.calendar import CalendarOverride

PAGE = "/admin/calendar"


def _due_date(client) -> str:
    query = {"start": "2026-09-30T10:00:00+08:00", "days": 1}
    return client.get("/api/v1/calendar/deadline", query_string=query).get_json()["due_date"]


def _overrides(store) -> list[CalendarOverride]:
    with store.read() as session:
        return session.scalars(select(CalendarOverride)).all()


def test_form_adds_an_override_that_changes_deadlines(client, users):
    login(client, "admin1")
    response = client.post(PAGE, data={"day": "2026-10-02", "kind": "working", "note": "补班"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已保存 2026-10-02 的日历调整" in page
    assert "调休上班" in page and "补班" in page and "王管理" in page  # who set it, by name
    assert "2026-09-30 10:00" in page  # set at, in local time
    assert _due_date(client) == "2026-10-02"


def test_remove_button_restores_the_package_calendar(client, users, store):
    login(client, "admin1")
    client.post(PAGE, data={"day": "2026-10-02", "kind": "working"})
    response = client.post(f"{PAGE}/2026-10-02/remove", follow_redirects=True)
    assert "已撤销 2026-10-02 的日历调整" in response.get_data(as_text=True)
    assert _overrides(store) == []
    assert _due_date(client) == "2026-10-08"


def test_bad_input_is_explained_in_chinese_and_changes_nothing(client, users, store):
    login(client, "admin1")
    cases = [({"day": "", "kind": "working"}, "请填写日期"),
             ({"day": "2026-02-30", "kind": "working"}, "日期格式不正确"),
             ({"day": "1900-01-01", "kind": "working"}, "年份应在"),
             ({"day": "2026-10-02"}, "请选择该日的类型"),
             ({"day": "2026-10-02", "kind": "maybe"}, "请选择该日的类型"),
             ({"day": "2026-10-02", "kind": "rest", "note": "长" * 201}, "备注不能超过 200 个字")]
    for data, message in cases:
        response = client.post(PAGE, data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert _overrides(store) == []


def test_non_admin_cannot_add_or_remove(client, users, store):
    login(client, "reviewer1")
    assert client.post(PAGE, data={"day": "2026-10-02", "kind": "working"}).status_code == 403
    assert client.post(f"{PAGE}/2026-10-02/remove").status_code == 403
    assert _overrides(store) == []


def test_a_note_with_markup_is_escaped(client, users):
    login(client, "admin1")
    client.post(PAGE, data={"day": "2026-10-02", "kind": "working",
                            "note": "<script>alert(1)</script>"})
    page = client.get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_check_a_date_tells_working_from_rest_days(client, users):
    login(client, "admin1")
    holiday = client.get(PAGE, query_string={"check": "2026-10-01"}).get_data(as_text=True)
    assert "2026-10-01 星期四" in holiday and "休息日" in holiday and "依据节假日数据" in holiday
    makeup = client.get(PAGE, query_string={"check": "2026-09-20"}).get_data(as_text=True)
    assert "2026-09-20 星期日" in makeup and "工作日" in makeup
    client.post(PAGE, data={"day": "2026-10-02", "kind": "working", "note": "补班"})
    overridden = client.get(PAGE, query_string={"check": "2026-10-02"}).get_data(as_text=True)
    assert "依据日历调整" in overridden
    bad = client.get(PAGE, query_string={"check": "soon"}).get_data(as_text=True)
    assert "日期格式不正确" in bad


def test_warns_when_next_year_has_no_official_data(client, users, monkeypatch):
    login(client, "admin1")
    monkeypatch.setattr("workflows.administration.calendar.published_through", lambda: 2026)
    assert "尚无 2027 年国务院办公厅放假安排" in client.get(PAGE).get_data(as_text=True)
    monkeypatch.setattr("workflows.administration.calendar.published_through", lambda: 2027)
    assert "放假安排" not in client.get(PAGE).get_data(as_text=True)


# --- confirmed years (issue 14 §5) -------------------------------------------------------------

def _estimated_year() -> int:
    from workflows.core.calendar import official_years

    return max(official_years()) + 1


def test_admin_confirms_the_next_year_and_withdraws_it(client, users, store):
    from workflows.core.models.calendar import CalendarYear
    from workflows.core.models.cases import CaseEvent

    year = _estimated_year()
    login(client, "admin1")
    page = client.get(PAGE).get_data(as_text=True)
    assert f'data-year="{year}" data-status="provisional"' in page and "暂定：按估算，不含调休" in page
    assert f"尚无 {year} 年国务院办公厅放假安排" in page
    done = client.post(f"{PAGE}/years", data={"year": year, "note": "已按通知录入"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and f"已确认 {year} 年放假安排" in page
    assert f'data-year="{year}" data-status="confirmed"' in page and "王管理" in page and "已按通知录入" in page
    assert f"尚无 {year} 年国务院办公厅放假安排" not in page
    withdrawn = client.post(f"{PAGE}/years/{year}/unconfirm", follow_redirects=True)
    assert f"已撤销 {year} 年的确认" in withdrawn.get_data(as_text=True)
    with store.read() as session:
        assert session.scalars(select(CalendarYear)).all() == []
        kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
    assert kinds == ["calendar_year_confirmed", "calendar_year_unconfirmed"]


def test_confirming_a_bad_year_is_explained_and_changes_nothing(client, users, store):
    from workflows.core.models.calendar import CalendarYear

    login(client, "admin1")
    for data, message in (({"year": ""}, "请输入年度"), ({"year": "abc"}, "请输入年度"),
                          ({"year": "1990"}, "年度应在 2000 至 2100 之间"),
                          ({"year": str(_estimated_year() - 1)}, "已由 holidays 数据提供")):
        response = client.post(f"{PAGE}/years", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    with store.read() as session:
        assert session.scalars(select(CalendarYear)).all() == []


def test_non_admin_cannot_confirm_a_year(client, users, store):
    from workflows.core.models.calendar import CalendarYear

    login(client, "reviewer1")
    assert client.post(f"{PAGE}/years", data={"year": _estimated_year()}).status_code == 403
    assert client.post(f"{PAGE}/years/{_estimated_year()}/unconfirm").status_code == 403
    with store.read() as session:
        assert session.scalars(select(CalendarYear)).all() == []
