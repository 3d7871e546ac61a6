"""China's working days and legal deadlines (DOMAIN.md §G).

The `holidays` package knows the State Council notice (holidays and 调休 make-up working
weekends) for published years only; later years are its own estimate without make-up days.
The next year's notice appears in November, so admins can override single days; an override
beats the package. A deadline that falls in a year without official data is *provisional* until
the admin, having entered that year's notice, confirms the year (`calendar_year`, issue 14 §5).
Operations here never commit: the caller's unit of work does.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import LOCAL_TZ, as_utc
from workflows.core.errors import InvalidInput
from workflows.core.limits import day_in_window, unencodable
from workflows.core.models.calendar import CalendarOverride, CalendarYear
from workflows.core.models.cases import CaseEvent

ONE_DAY = timedelta(days=1)
# "Ends at 24:00" of the last day; a datetime cannot say 24:00, so the last second stands in.
END_OF_DAY = time(23, 59, 59)
# Guards against runaway loops from a mistyped count; no legal deadline is near this long.
MAX_WORKING_DAYS = 1000
NOTE_MAX = 200


@lru_cache(maxsize=512)
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Rest days and make-up working days of one year, built once: deadlines are hot paths."""
    cn = holidays.country_holidays("CN", years=year)
    # weekend_workdays always carries a few cross-year days from old notices: keep this year's.
    rest = frozenset(day for day in cn if day.year == year)
    makeup = frozenset(day for day in cn.weekend_workdays if day.year == year)
    return rest, makeup


def package_is_working_day(day: date) -> bool:
    """The package's answer alone, without admin overrides."""
    rest, makeup = _package_year(day.year)
    if day in rest:
        return False
    return day.weekday() < 5 or day in makeup


def published_through() -> int:
    """Last year with 调休 data in the package; later years need admin overrides."""
    from holidays.countries.china import ChinaStaticHolidays

    return max(ChinaStaticHolidays.special_public_holidays)


def official_years() -> frozenset[int]:
    """Years for which the package carries the State Council notice (its 调休 table)."""
    from holidays.countries.china import ChinaStaticHolidays

    return frozenset(ChinaStaticHolidays.special_public_holidays)


class WorkingCalendar:
    """Working days per the package plus admin overrides, and deadlines counted on them."""

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, office_close: time | None = None,
        confirmed_years: frozenset[int] | set[int] | None = None,
    ) -> None:
        self._overrides = dict(overrides or {})
        self._close = office_close or END_OF_DAY
        self._confirmed = frozenset(confirmed_years or ()) | official_years()

    def is_confirmed_year(self, year: int) -> bool:
        """The package has the year's notice, or an admin entered it and confirmed the year."""
        return year in self._confirmed

    def unconfirmed_years(self, start: datetime | date | str, due: datetime | date) -> list[int]:
        """Years counted from the day after `start` through `due` that are still estimates:
        a deadline reaching into one is provisional."""
        first = local_day(start) + ONE_DAY
        last = due.date() if isinstance(due, datetime) else due
        return [y for y in range(first.year, max(first.year, last.year) + 1) if not self.is_confirmed_year(y)]

    def is_working_day(self, day: date) -> bool:
        """An override for the day wins; otherwise the package decides."""
        override = self._overrides.get(_require_day(day))
        return package_is_working_day(day) if override is None else override

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (which never counts); n == 0: start or next."""
        day = day_in_window(_require_day(start), "start", "起算日期")
        _require_count(n)
        if n == 0:
            return self._roll_forward(day)
        for _ in range(n):
            day = self._roll_forward(day + ONE_DAY)
        return day

    def deadline(self, received_at: datetime | date | str, n: int) -> datetime:
        """End of the n-th working day after receipt, as an aware Asia/Shanghai datetime."""
        due = self.add_working_days(local_day(received_at), n)
        return datetime.combine(due, self._close, tzinfo=LOCAL_TZ)

    def _roll_forward(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


_DEFAULT = WorkingCalendar()


def add_working_days(start: date, n: int) -> date:
    """`WorkingCalendar.add_working_days` on the package calendar without overrides."""
    return _DEFAULT.add_working_days(start, n)


def deadline(received_at: datetime | date | str, n: int) -> datetime:
    """`WorkingCalendar.deadline` on the package calendar without overrides."""
    return _DEFAULT.deadline(received_at, n)


def local_day(moment: datetime | date | str) -> date:
    """The Asia/Shanghai calendar day of a moment; naive datetimes and strings mean local time."""
    if isinstance(moment, str):
        moment = _parse_iso(moment)
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            return moment.date()
        day_in_window(moment.date(), "start", "起算时间")  # converting year 1 or 9999 would overflow
        return moment.astimezone(LOCAL_TZ).date()
    if isinstance(moment, date):
        return moment
    raise InvalidInput("收件时间格式不正确", fields={"received_at": "应为日期时间"})


def _parse_iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"无法识别的时间“{text}”", fields={"received_at": "应为 ISO 8601 日期时间"}
        ) from None


def _require_day(day: date) -> date:
    # A datetime is a date subclass but would never match the date-keyed tables.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidInput("需要日期（不含时间）", fields={"day": "应为日期"})
    return day


def _require_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInput("工作日天数应为整数", fields={"days": "应为整数"})
    if n < 0:
        raise InvalidInput(f"工作日天数不能为负数（{n}）", fields={"days": "不能为负数"})
    if n > MAX_WORKING_DAYS:
        raise InvalidInput(
            f"工作日天数不能超过{MAX_WORKING_DAYS}天", fields={"days": "超出范围"}
        )


def load_confirmed_years(session: Session) -> frozenset[int]:
    """Years an admin confirmed, for `WorkingCalendar(confirmed_years=...)`."""
    return frozenset(session.scalars(select(CalendarYear.year)))


def confirm_year(session: Session, year: int, note: str, actor: str, now: datetime) -> CalendarYear:
    """Mark a year's State Council notice as entered (audited); deadlines in it stop being provisional."""
    _require_year(year)
    _require_override_fields(True, note, actor)
    if year in official_years():
        raise InvalidInput(f"{year}年的放假安排已由 holidays 数据提供，无需确认", fields={"year": "已有官方数据"})
    row = session.get(CalendarYear, year)
    before = _year_snapshot(row)
    if row is None:
        row = CalendarYear(year=year)
        session.add(row)
    row.note, row.confirmed_by, row.confirmed_at = note, actor, as_utc(now)
    summary = f"确认 {year} 年放假安排已录入" + (f"：{note}" if note else "")
    _audit(session, "calendar_year_confirmed", actor, now, summary, before, _year_snapshot(row))
    return row


def unconfirm_year(session: Session, year: int, actor: str, now: datetime) -> bool:
    """Withdraw a confirmation: that year's deadlines are provisional again; False if none."""
    row = session.get(CalendarYear, _require_year(year))
    if row is None:
        return False
    before = _year_snapshot(row)
    session.delete(row)
    session.flush()
    _audit(session, "calendar_year_unconfirmed", actor, now, f"撤销 {year} 年放假安排的确认", before, None)
    return True


def _require_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput("年份应为整数", fields={"year": "应为整数"})
    day_in_window(date(max(1, min(year, 9999)), 1, 1), "year", "年份")
    return year


def _year_snapshot(row: CalendarYear | None) -> dict[str, object] | None:
    return None if row is None else {"year": row.year, "note": row.note}


def load_overrides(session: Session) -> dict[date, bool]:
    """All admin overrides, ready for `WorkingCalendar(overrides=...)`."""
    rows = session.execute(select(CalendarOverride.day, CalendarOverride.working))
    return {day: working for day, working in rows}


def set_override(
    session: Session, day: date, working: bool, note: str, actor: str, now: datetime
) -> None:
    """Create or replace the override for a day, and audit the change."""
    day_in_window(_require_day(day), "day", "日期")
    _require_override_fields(working, note, actor)
    row = session.get(CalendarOverride, day)
    before = _snapshot(row)
    if row is None:
        row = CalendarOverride(day=day)
        session.add(row)
    row.working, row.note, row.created_by, row.created_at = working, note, actor, as_utc(now)
    kind = "工作日（调休上班）" if working else "休息日"
    summary = f"将 {day.isoformat()} 设为{kind}" + (f"：{note}" if note else "")
    _audit(session, "calendar_override_set", actor, now, summary, before, _snapshot(row))


def remove_override(session: Session, day: date, actor: str, now: datetime) -> bool:
    """Delete a day's override so the package decides again; False if there was none."""
    row = session.get(CalendarOverride, _require_day(day))
    if row is None:
        return False
    before = _snapshot(row)
    session.delete(row)
    summary = f"撤销 {day.isoformat()} 的日历调整"
    _audit(session, "calendar_override_removed", actor, now, summary, before, None)
    return True


def _require_override_fields(working: bool, note: str, actor: str) -> None:
    if not isinstance(working, bool):
        raise InvalidInput("请指定该日为工作日或休息日", fields={"working": "应为布尔值"})
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise InvalidInput(f"备注不能超过{NOTE_MAX}字", fields={"note": "过长"})
    if problem := unencodable(note):
        raise InvalidInput(f"备注{problem}", fields={"note": problem})
    if not actor:
        raise InvalidInput("缺少操作人", fields={"actor": "必填"})


def _snapshot(row: CalendarOverride | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {"day": row.day.isoformat(), "working": row.working, "note": row.note}


def _audit(session: Session, kind: str, actor: str, now: datetime, summary: str,
           before: dict[str, object] | None, after: dict[str, object] | None) -> None:
    session.add(CaseEvent(case_id=None, kind=kind, actor=actor, at=as_utc(now),
                          summary=summary, before=before, after=after))
