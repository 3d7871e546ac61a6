"""Jinja filters for official-document conventions (GB/T 9704-2012, DOMAIN.md §F).

Dates travel through the context as ISO strings (the context holds primitives only); these
filters turn them into the written forms a letter must show.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from .masthead import masthead
from .signature import signature_box

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_DIGITS = "零一二三四五六七八九"
_CLOSING = ("。", "；", "！", "？", "：", ".", ";")
_PNG_DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]+={0,2}")


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return _as_local(value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        return _as_local(dt.datetime.fromisoformat(text)).date() if "T" in text else (
            dt.date.fromisoformat(text))
    raise TypeError(f"not a date: {value!r}")


def _as_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ) if value.tzinfo else value


def cn_date(value: object) -> str:
    """成文日期: Arabic numerals, no leading zeros — ``2026年11月21日``."""
    day = _as_date(value)
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value: object) -> str:
    """Appointment times in letters: ``2026年11月28日9时30分`` (Asia/Shanghai)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    moment = _as_local(moment)
    minutes = f"{moment.minute}分" if moment.minute else ""
    return f"{cn_date(moment)}{moment.hour}时{minutes}"


def cn_numeral(n: int) -> str:
    """Chinese numeral for heading sequences 一、二、…; 1 ≤ n ≤ 99 is all a letter needs."""
    if not 1 <= n <= 99:
        raise ValueError(f"cn_numeral supports 1..99, got {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[units] if units else "")


def sentence(text: object) -> str:
    """End a clause supplied by the caller with a full stop unless it already has one.

    Markup stays Markup (str methods keep the type), so escaped text is not escaped twice.
    """
    clause = (text if isinstance(text, str) else str(text)).rstrip()
    return clause if clause.endswith(_CLOSING) else clause + "。"


def png_data_uri(value: object) -> str:
    """The value if it is an inline PNG (a seal image), else "": a letter loads nothing else."""
    return value if isinstance(value, str) and _PNG_DATA_URI.fullmatch(value) else ""


def no_final_stop(text: object) -> str:
    """An attachment name as GB/T 9704 prints it: no punctuation after it."""
    return (text if isinstance(text, str) else str(text)).rstrip().rstrip("。；;.，,")


FILTERS = {
    "cn_date": cn_date,
    "cn_datetime": cn_datetime,
    "cn_numeral": cn_numeral,
    "masthead": masthead,
    "no_final_stop": no_final_stop,
    "signature_box": signature_box,
    "png_data_uri": png_data_uri,
    "sentence": sentence,
}
