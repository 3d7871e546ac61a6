"""Official-document formats: 成文日期, 发文字号, heading numerals."""

from __future__ import annotations

import datetime as dt

import pytest

from letters import format_number
from letters.formatting import cn_date, cn_datetime, cn_numeral, sentence
from letters.masthead import FLOOR_PT, masthead


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


def test_masthead_fits_a_name_on_one_line_down_to_the_floor_then_wraps() -> None:
    block = 156 / 25.4 * 72
    office = masthead("泉州市社会信用体系建设领导小组办公室")
    assert office["lines"] == ("泉州市社会信用体系建设领导小组办公室",) and office["size"] * 18 <= block
    assert masthead("德化县发展和改革局") == {"size": 30, "lines": ("德化县发展和改革局",), "wrapped": False}
    assert masthead("某" * 20)["size"] == FLOOR_PT == 22 and len(masthead("某" * 20)["lines"]) == 1
    for length in (21, 40, 60, 200):
        mark = masthead("某" * length)
        assert mark["size"] == FLOOR_PT and mark["wrapped"] and "".join(mark["lines"]) == "某" * length
        assert len(mark["lines"]) == -(-length // 20) and all(len(line) * FLOOR_PT <= block for line in mark["lines"])


def test_sentence_adds_one_full_stop() -> None:
    assert sentence("罚款人民币五万元") == "罚款人民币五万元。"
    assert sentence("终止公示；") == "终止公示；"
