"""What a statistics page is about: a period of local days and the filters that narrow it.

Periods are whole local (Asia/Shanghai) days, the unit supervisors report in; queries compare
stored UTC times with the period's UTC bounds, so indexes on the time columns serve them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from workflows.core.clock import LOCAL_TZ, as_utc, to_local
from workflows.core.errors import InvalidInput

KINDS = ("month", "quarter", "year", "custom")
CASE_KINDS = ("repair", "objection", "commitment", "interview")
REGIMES = ("527", "order58", "gb22", "order36")
MAX_DAYS = 3 * 366  # a custom period longer than this is a mistake, not a report


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day, inclusive
    end: date  # last day, inclusive

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def utc_start(self) -> datetime:
        return as_utc(datetime.combine(self.start, time(), LOCAL_TZ))

    @property
    def utc_end(self) -> datetime:
        """Exclusive: midnight after the last day."""
        return as_utc(datetime.combine(self.end + timedelta(days=1), time(), LOCAL_TZ))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append((day.year, day.month))
            day = (day + timedelta(days=32)).replace(day=1)
        return found

    def as_query(self) -> dict[str, str]:
        """The query-string form (links, exports, the report form)."""
        if self.kind == "custom":
            return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}
        query = {"period": self.kind, "year": str(self.start.year)}
        if self.kind == "quarter":
            query["quarter"] = str((self.start.month - 1) // 3 + 1)
        if self.kind == "month":
            query["month"] = str(self.start.month)
        return query


@dataclass(frozen=True)
class Filters:
    department: str | None = None
    case_kind: str | None = None
    regime: str | None = None

    def as_query(self) -> dict[str, str]:
        return {key: value for key, value in (("department", self.department), ("kind", self.case_kind),
                                              ("regime", self.regime)) if value}


@dataclass(frozen=True)
class Scope:
    """A period with its filters; `department` is forced for a department officer."""

    period: Period
    filters: Filters
    now: datetime

    def for_department(self, code: str) -> "Scope":
        return replace(self, filters=replace(self.filters, department=code))

    def as_query(self) -> dict[str, str]:
        return self.period.as_query() | self.filters.as_query()


def quarter_of(day: date) -> Period:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return Period("quarter", first, _month_end(first.year, first.month + 2))


def parse_scope(args: Mapping[str, str], now: datetime) -> Scope:
    """The period and filters of a request; the current quarter when none is given."""
    return Scope(parse_period(args, to_local(now).date()), parse_filters(args), now)


def parse_period(args: Mapping[str, str], today: date) -> Period:
    kind = args.get("period") or "quarter"
    if kind not in KINDS:
        raise InvalidInput("统计期间类型无效", {"period": "可选：月、季度、年、自定义"})
    if kind == "custom":
        return _custom(args)
    year = _number(args.get("year"), today.year, 2000, 2100, "year", "年份")
    if kind == "year":
        return Period("year", date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        quarter = _number(args.get("quarter"), (today.month - 1) // 3 + 1, 1, 4, "quarter", "季度")
        return quarter_of(date(year, 3 * quarter - 2, 1))
    month = _number(args.get("month"), today.month, 1, 12, "month", "月份")
    return Period("month", date(year, month, 1), _month_end(year, month))


def parse_filters(args: Mapping[str, str]) -> Filters:
    kind, regime = args.get("kind") or None, args.get("regime") or None
    if kind is not None and kind not in CASE_KINDS:
        raise InvalidInput("案件类型无效", {"kind": "可选：" + "、".join(CASE_KINDS)})
    if regime is not None and regime not in REGIMES:
        raise InvalidInput("规则版本无效", {"regime": "可选：" + "、".join(REGIMES)})
    department = (args.get("department") or "").strip()[:32] or None
    return Filters(department, kind, regime)


def _custom(args: Mapping[str, str]) -> Period:
    try:
        start, end = date.fromisoformat(args.get("start", "")), date.fromisoformat(args.get("end", ""))
    except ValueError as err:
        raise InvalidInput("请填写自定义期间的起止日期", {"start": "格式：YYYY-MM-DD", "end": "格式：YYYY-MM-DD"}) from err
    if end < start or (end - start).days > MAX_DAYS:
        raise InvalidInput("自定义期间无效", {"end": f"结束日期不早于开始日期，期间不超过{MAX_DAYS}天"})
    return Period("custom", start, end)


def _number(value: str | None, default: int, low: int, high: int, field: str, label: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(f"{label}无效", {field: f"{low}–{high}"})
    return number


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)
