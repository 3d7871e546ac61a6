"""Regime and publicity window of a record, from the DMN tables (DOMAIN.md §0, §B).

Windows are half-open: a record is shown from `start` (the decision date) up to the day
before `max_end`; repair may be requested from `min_end` on. Month arithmetic is calendar
arithmetic: 2026-01-31 plus one month is 2026-02-28.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from workflows.core.clock import to_local
from workflows.engine.rules import RuleBook

REGIME_DECISION = "regime_for_date"
REPAIRABILITY_DECISION = "record_repairability"
PERIOD_DECISION = "publicity_period"


@dataclass(frozen=True)
class Publicity:
    regime: str
    regime_name: str
    published: bool
    start: date | None
    min_end: date | None
    max_end: date | None

    def status(self, today: date) -> str:
        return status_for(self.published, self.max_end, today)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_today(now: datetime) -> date:
    return to_local(now).date()


def status_for(published: bool, max_end: date | None, today: date) -> str:
    """The status a record shown by the rules has today: public, expired or not_published."""
    if not published:
        return "not_published"
    return "expired" if max_end is not None and max_end <= today else "public"


def regime_for(rules: RuleBook, decision_date: date) -> tuple[str, str]:
    result = rules.decide(REGIME_DECISION, decision_date=decision_date.isoformat())
    return result["regime"], result["regime_name"]


def publicity_for(rules: RuleBook, decision_date: date, kind: str, severity: str,
                  sector: str = "") -> Publicity:
    regime, regime_name = regime_for(rules, decision_date)
    period = rules.decide(PERIOD_DECISION, regime=regime, kind=kind, severity=severity, sector=sector or "")
    if not period["published"]:
        return Publicity(regime, regime_name, False, None, None, None)
    return Publicity(regime, regime_name, True, decision_date,
                     add_months(decision_date, int(period["min_months"])),
                     add_months(decision_date, int(period["max_months"])))


def repairability_for(rules: RuleBook, regime: str, misconduct_category: str, sector: str) -> tuple[bool, str]:
    """(non-repairable by its category, the reason) under the record's regime (DMN record_repairability)."""
    verdict = rules.decide(REPAIRABILITY_DECISION, regime=regime, misconduct_category=misconduct_category or "",
                           sector=sector or "")
    return bool(verdict["non_repairable"]), verdict["reason"] or ""
