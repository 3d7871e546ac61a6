"""承诺编码: 20 characters = 6-digit region code + 8-digit date + 6-digit serial.

The serial restarts each day per region and is allocated gap-free in the caller's
transaction (the same counter mechanism as letter numbers).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from letters.config import load_config
from workflows.archive.numbering import next_serial

DEFAULT_REGION = "350500"  # 泉州市


def region_code() -> str:
    return str(load_config().get("region_code", DEFAULT_REGION))


def commitment_counter(day: date, region: str | None = None) -> tuple[str, str]:
    """The (series, period) counter of a region's codes on `day` (for `reserve_serials`)."""
    region = region or region_code()
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"行政区划代码应为6位数字：{region!r}")
    return f"commitment:{region}", day.strftime("%Y%m%d")


def allocate_commitment_code(session: Session, day: date, region: str | None = None) -> str:
    region = region or region_code()
    serial = next_serial(session, *commitment_counter(day, region))
    if serial > 999_999:
        raise ValueError("当日承诺编码已用尽")
    return f"{region}{day:%Y%m%d}{serial:06d}"
