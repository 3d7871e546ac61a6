"""Working days and deadlines: 调休, golden weeks, overrides, DOMAIN.md §G counting."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from workflows.core import calendar
from workflows.core.calendar import WorkingCalendar, add_working_days, deadline
from workflows.core.clock import LOCAL_TZ
from workflows.core.db import make_engine, session_factory
from workflows.core.errors import InvalidInput
from workflows.core.models.base import Base
from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.cases import CaseEvent

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def local(y: int, m: int, d: int, hh: int = 23, mm: int = 59, ss: int = 59) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=LOCAL_TZ)


# --- the package calendar -------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-09-20", "2026-10-10", "2026-02-14", "2026-02-28",
                                 "2026-01-04", "2026-05-09"])
def test_make_up_weekends_2026_are_working_days(day: str) -> None:
    d = date.fromisoformat(day)
    assert d.weekday() >= 5
    assert WorkingCalendar().is_working_day(d)


def test_national_day_2026_is_seven_rest_days() -> None:
    cal = WorkingCalendar()
    week = [date(2026, 10, d) for d in range(1, 8)]
    assert [cal.is_working_day(d) for d in week] == [False] * 7
    assert cal.is_working_day(date(2026, 9, 30))
    assert cal.is_working_day(date(2026, 10, 8))


def test_spring_festival_2026_runs_feb_15_to_23() -> None:
    cal = WorkingCalendar()
    rest = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert not any(cal.is_working_day(d) for d in rest)
    assert cal.is_working_day(date(2026, 2, 24))
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_spring_festival_2027_statutory_days_are_known() -> None:
    # 2027's notice is not in the package: only the statutory days (除夕 + 初一..初三)
    # and the package's own estimate of 补假 are; make-up weekends need admin overrides.
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2027, 2, 5))  # 除夕, Friday
    assert not cal.is_working_day(date(2027, 2, 8))  # 初三, Monday
    assert not cal.is_working_day(date(2027, 1, 1))
    assert calendar.published_through() >= 2026


def test_ordinary_weekend_and_weekday() -> None:
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2026, 11, 21))  # Saturday
    assert cal.is_working_day(date(2026, 11, 20))  # Friday


# --- counting (DOMAIN.md §G) ----------------------------------------------------------------

def test_received_before_national_day_is_due_after_it() -> None:
    due = deadline("2026-09-30T10:00:00+08:00", 1)
    assert due == local(2026, 10, 8)
    assert due.utcoffset() == timedelta(hours=8)
    assert due.isoformat() == "2026-10-08T23:59:59+08:00"


def test_received_friday_is_due_on_make_up_sunday() -> None:
    assert deadline(datetime(2026, 9, 18, 16, 0, tzinfo=LOCAL_TZ), 1) == local(2026, 9, 20)
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_received_day_does_not_count_and_weekends_skip() -> None:
    assert add_working_days(date(2026, 11, 16), 1) == date(2026, 11, 17)
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # received Saturday
    assert add_working_days(date(2026, 11, 16), 10) == date(2026, 11, 30)


def test_year_boundary_rolls_into_2027() -> None:
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert deadline("2026-12-31T09:00+08:00", 1) == local(2027, 1, 4)


def test_zero_days_means_same_day_if_working_else_next() -> None:
    assert add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert deadline("2026-10-01T08:00+08:00", 0) == local(2026, 10, 8)


@pytest.mark.parametrize("n", [-1, 1.5, True, "3", calendar.MAX_WORKING_DAYS + 1])
def test_bad_counts_are_rejected(n: object) -> None:
    with pytest.raises(InvalidInput):
        add_working_days(date(2026, 9, 30), n)  # type: ignore[arg-type]


def test_negative_count_message_is_chinese() -> None:
    with pytest.raises(InvalidInput, match="不能为负数"):
        deadline("2026-09-30T10:00+08:00", -2)


def test_utc_receipt_is_converted_to_shanghai_day_first() -> None:
    # 2026-09-29 17:30 UTC is already Wednesday 30 September in Shanghai.
    assert deadline("2026-09-29T17:30:00Z", 1) == local(2026, 10, 8)
    assert deadline(datetime(2026, 9, 29, 15, 0, tzinfo=timezone.utc), 1) == local(2026, 9, 30)


def test_naive_datetime_and_plain_iso_strings_mean_local_time() -> None:
    assert deadline(datetime(2026, 9, 30, 1, 0), 1) == local(2026, 10, 8)
    assert deadline("2026-09-30T01:00:00", 1) == local(2026, 10, 8)
    assert deadline("2026-09-30", 1) == local(2026, 10, 8)


def test_unreadable_string_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="无法识别的时间"):
        deadline("30/09/2026", 1)


def test_datetime_is_not_accepted_where_a_day_is_expected() -> None:
    with pytest.raises(InvalidInput):
        WorkingCalendar().is_working_day(datetime(2026, 9, 30, 10, 0))  # type: ignore[arg-type]


def test_office_close_ends_the_deadline_at_close_of_business() -> None:
    cal = WorkingCalendar(office_close=time(17, 30))
    assert cal.deadline("2026-09-30T10:00+08:00", 1) == local(2026, 10, 8, 17, 30, 0)


# --- overrides ------------------------------------------------------------------------------

def test_override_adds_a_holiday_and_a_make_up_day() -> None:
    cal = WorkingCalendar({date(2026, 11, 17): False, date(2026, 11, 21): True})
    assert not cal.is_working_day(date(2026, 11, 17))
    assert cal.is_working_day(date(2026, 11, 21))
    assert cal.add_working_days(date(2026, 11, 16), 1) == date(2026, 11, 18)
    assert cal.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 21)


def test_override_beats_the_package_on_a_package_holiday() -> None:
    cal = WorkingCalendar({date(2026, 10, 8): False, date(2026, 10, 7): True})
    assert cal.deadline("2026-09-30T10:00+08:00", 1) == local(2026, 10, 7)
    assert cal.deadline("2026-09-30T10:00+08:00", 2) == local(2026, 10, 9)


def test_default_calendar_ignores_other_calendars_overrides() -> None:
    WorkingCalendar({date(2026, 10, 8): False})
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


@pytest.fixture
def session():
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def test_set_override_is_stored_loaded_and_audited(session) -> None:
    calendar.set_override(session, date(2027, 2, 20), True, "2027年春节调休", "admin", NOW)
    session.commit()
    assert calendar.load_overrides(session) == {date(2027, 2, 20): True}
    row = session.get(CalendarOverride, date(2027, 2, 20))
    assert (row.note, row.created_by) == ("2027年春节调休", "admin")
    event = session.scalars(select(CaseEvent)).one()
    assert (event.kind, event.case_id, event.actor) == ("calendar_override_set", None, "admin")
    assert event.before is None
    assert event.after == {"day": "2027-02-20", "working": True, "note": "2027年春节调休"}
    assert "2027-02-20" in event.summary


def test_set_override_twice_updates_the_row_and_keeps_both_events(session) -> None:
    calendar.set_override(session, date(2027, 2, 11), True, "", "admin", NOW)
    calendar.set_override(session, date(2027, 2, 11), False, "春节假期", "admin2", NOW)
    session.commit()
    assert calendar.load_overrides(session) == {date(2027, 2, 11): False}
    events = session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
    assert [e.kind for e in events] == ["calendar_override_set"] * 2
    assert events[1].before == {"day": "2027-02-11", "working": True, "note": ""}
    assert events[1].after["working"] is False


def test_removing_an_override_restores_the_package_answer(session) -> None:
    sunday = date(2026, 9, 20)
    calendar.set_override(session, sunday, False, "测试", "admin", NOW)
    session.commit()
    assert not WorkingCalendar(calendar.load_overrides(session)).is_working_day(sunday)

    assert calendar.remove_override(session, sunday, "admin", NOW) is True
    session.commit()
    assert WorkingCalendar(calendar.load_overrides(session)).is_working_day(sunday)
    removed = session.scalars(select(CaseEvent).where(
        CaseEvent.kind == "calendar_override_removed")).one()
    assert removed.before == {"day": "2026-09-20", "working": False, "note": "测试"}
    assert removed.after is None


def test_removing_a_missing_override_returns_false_without_audit(session) -> None:
    assert calendar.remove_override(session, date(2026, 9, 20), "admin", NOW) is False
    assert session.scalars(select(CaseEvent)).all() == []


def test_set_override_rejects_an_overlong_note(session) -> None:
    with pytest.raises(InvalidInput):
        calendar.set_override(session, date(2027, 2, 20), True, "x" * 201, "admin", NOW)


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+08:00", "9999-12-30T00:00:00+08:00", "1999-12-31"])
def test_deadlines_outside_the_accepted_years_are_refused_by_field(start):
    with pytest.raises(InvalidInput) as refused:
        deadline(start, 1)
    assert "start" in refused.value.fields


# --- provisional years (issue 14 §5) ----------------------------------------------------------

# The first year the holidays package has no State Council notice for (2027 with holidays 0.109);
# computed, so a package upgrade moves it instead of breaking the tests.
ESTIMATED = max(calendar.official_years()) + 1


def test_years_with_official_data_are_confirmed_and_the_next_is_not() -> None:
    cal = WorkingCalendar()
    assert cal.is_confirmed_year(ESTIMATED - 1) and not cal.is_confirmed_year(ESTIMATED)
    assert cal.unconfirmed_years(f"{ESTIMATED - 1}-09-30T10:00:00+08:00", date(ESTIMATED - 1, 10, 30)) == []


def test_a_deadline_reaching_an_estimated_year_is_provisional_until_confirmed() -> None:
    start = f"{ESTIMATED - 1}-12-30T10:00:00+08:00"
    due = WorkingCalendar().deadline(start, 5)
    assert due.year == ESTIMATED
    assert WorkingCalendar().unconfirmed_years(start, due) == [ESTIMATED]
    assert WorkingCalendar(confirmed_years={ESTIMATED}).unconfirmed_years(start, due) == []


def test_confirm_year_is_stored_loaded_audited_and_withdrawn(session) -> None:
    calendar.confirm_year(session, ESTIMATED, "国办发明电已录入", "admin", NOW)
    assert calendar.load_confirmed_years(session) == {ESTIMATED}
    assert calendar.unconfirm_year(session, ESTIMATED, "admin2", NOW)
    assert not calendar.unconfirm_year(session, ESTIMATED, "admin2", NOW)
    assert calendar.load_confirmed_years(session) == frozenset()
    events = session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
    assert [(e.kind, e.actor, e.case_id) for e in events] == [
        ("calendar_year_confirmed", "admin", None), ("calendar_year_unconfirmed", "admin2", None)]
    assert events[0].after == {"year": ESTIMATED, "note": "国办发明电已录入"} and events[1].before == events[0].after


@pytest.mark.parametrize("year, field", [(ESTIMATED - 1, "year"), (1999, "year"), (2101, "year"), ("2027", "year")])
def test_confirm_year_refuses_official_out_of_range_and_non_integer_years(session, year, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        calendar.confirm_year(session, year, "", "admin", NOW)
    assert field in refused.value.fields
    assert calendar.load_confirmed_years(session) == frozenset()
