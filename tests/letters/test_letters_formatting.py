"""Official-document formats: 成文日期, 发文字号, heading numerals."""

from __future__ import annotations

import datetime as dt

import pytest

from letters import format_number
from letters.formatting import cn_date, cn_datetime, cn_numeral, masthead_pt, sentence


@pytest.mark.parametrize("value, expected", [
    ("2026-11-21", "2026年11月21日"),
    ("2026-01-05", "2026年1月5日"),
    (dt.date(2026, 3, 9), "2026年3月9日"),
    ("2026-11-20T23:30:00+00:00", "2026年11月21日"),  # shown in Asia/Shanghai
])
def test_cn_date_has_no_leading_zeros(value, expected) -> None:
    assert cn_date(value) == expected


def test_cn_datetime() -> None:
    assert cn_datetime("2026-11-28T09:30:00+08:00") == "2026年11月28日9时30分"
    assert cn_datetime("2026-11-28T01:00:00+00:00") == "2026年11月28日9时"


@pytest.mark.parametrize("prefix, year, n, expected", [
    ("泉信用修", 2026, 12, "泉信用修〔2026〕12号"),
    ("泉信用受", 2026, 7, "泉信用受〔2026〕7号"),
    ("泉信用修", 2027, 1024, "泉信用修〔2027〕1024号"),
])
def test_format_number(prefix, year, n, expected) -> None:
    assert format_number(prefix, year, n) == expected


@pytest.mark.parametrize("year, n", [(26, 1), (2026, 0)])
def test_format_number_rejects_short_year_and_zero(year, n) -> None:
    with pytest.raises(ValueError):
        format_number("泉信用修", year, n)


def test_cn_numeral() -> None:
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_masthead_fits_long_names_on_one_line() -> None:
    assert masthead_pt("泉州市社会信用体系建设领导小组办公室") * 18 <= 156 / 25.4 * 72
    assert masthead_pt("德化县发展和改革局") == 30


def test_sentence_adds_one_full_stop() -> None:
    assert sentence("罚款人民币五万元") == "罚款人民币五万元。"
    assert sentence("终止公示；") == "终止公示；"
