"""The shared input checks: each refusal names its field in Chinese, or is collected."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from workflows.core import limits
from workflows.core.errors import InvalidInput
from workflows.core.limits import (
    bounded_document,
    choice,
    day_field,
    id_list,
    id_value,
    moment_field,
    storable,
    text_field,
    text_list,
    unencodable,
)


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "整改\udfff"])
def test_nul_and_lone_surrogates_are_unencodable(text):
    assert unencodable(text)
    with pytest.raises(InvalidInput) as refused:
        text_field(text, "reason", "申请理由", 100)
    assert set(refused.value.fields) == {"reason"} and "申请理由" in refused.value.message


def test_text_is_trimmed_and_measured_after_trimming():
    assert text_field("  " + "字" * 10 + "  ", "f", "字段", 10) == "字" * 10
    errors: dict[str, str] = {}
    assert text_field("字" * 11, "f", "字段", 10, errors=errors) == ""
    assert errors == {"f": "字段不能超过10个字（现为11个）"}


@pytest.mark.parametrize("value, wanted", [(None, ""), ("", ""), ("   ", "")])
def test_empty_text_is_refused_only_when_required(value, wanted):
    assert text_field(value, "f", "字段", 10) == wanted
    with pytest.raises(InvalidInput, match="请填写字段"):
        text_field(value, "f", "字段", 10, required=True)


@pytest.mark.parametrize("value", [5, ["a"], {"a": 1}, True])
def test_text_that_is_not_text_is_refused(value):
    with pytest.raises(InvalidInput, match="应为文字"):
        text_field(value, "f", "字段", 10)


def test_text_lists_bound_their_items_and_drop_blanks():
    assert text_list(["a", " ", "b"], "m", "材料") == ["a", "b"]
    assert text_list("one", "m", "材料") == ["one"]
    for bad in (5, {"a": 1}, ["x"] * (limits.ITEMS + 1), [{"a": 1}], ["长" * (limits.LINE + 1)]):
        with pytest.raises(InvalidInput) as refused:
            text_list(bad, "materials", "材料")
        assert set(refused.value.fields) == {"materials"}


@pytest.mark.parametrize("value", [2 ** 63, str(2 ** 63), "²", "٣", True, 0, -1, 1.5, "1e3", "9" * 5000])
def test_ids_are_positive_64_bit_integers_in_ascii(value):
    with pytest.raises(InvalidInput):
        id_value(value, "warning_id", "预警编号")
    with pytest.raises(InvalidInput):
        id_list([value], "record_ids", "记录")


def test_id_lists_are_sorted_distinct_and_bounded():
    assert id_list([3, "1", 3, limits.MAX_ID], "record_ids", "记录") == [1, 3, limits.MAX_ID]
    with pytest.raises(InvalidInput, match="最多"):
        id_list(list(range(1, limits.MAX_RECORD_IDS + 2)), "record_ids", "记录")
    assert id_list([], "record_ids", "记录", required=False) == []


@pytest.mark.parametrize("value", [{"a": 1}, ["prompt"], 7, None, "other"])
def test_a_choice_refuses_anything_but_its_keys_without_hashing_it(value):
    with pytest.raises(InvalidInput) as refused:
        choice(value, "interview_kind", "约谈类型", {"prompt": "提示约谈", "warning": "警示约谈"})
    assert "提示约谈" in refused.value.fields["interview_kind"]


@pytest.mark.parametrize("value", ["0001-01-01T09:00:00+08:00", "9999-12-31T23:59:59+08:00",
                                   "1999-12-31T23:00:00+08:00", "2026-10-12T09:30:00", "x" * 100, 5, None])
def test_moments_need_an_offset_and_a_year_in_the_window(value):
    with pytest.raises(InvalidInput) as refused:
        moment_field(value, "scheduled_at", "约谈时间")
    assert "scheduled_at" in refused.value.fields


def test_a_moment_in_the_window_is_kept_and_naive_means_beijing():
    assert moment_field("2026-10-12T09:30:00+08:00", "t", "时间").isoformat() == "2026-10-12T09:30:00+08:00"
    naive = moment_field("2026-10-12T09:30:00", "t", "时间", naive_local=True)
    assert naive.astimezone(timezone.utc) == datetime(2026, 10, 12, 1, 30, tzinfo=timezone.utc)


def test_days_are_iso_dates_in_the_window():
    assert day_field("2026-12-31", "d", "日期") == date(2026, 12, 31)
    assert day_field("", "d", "日期") is None
    for bad in ("0936-01-01", "2101-01-01", "2026-13-01", ["2026-12-31"]):
        with pytest.raises(InvalidInput):
            day_field(bad, "valid_until", "有效期")


def test_storable_names_the_path_of_the_bad_value():
    with pytest.raises(InvalidInput) as refused:
        storable({"form": {"reason": "a\x00"}})
    assert list(refused.value.fields) == ["form.reason"]
    with pytest.raises(InvalidInput) as refused:
        storable({"items": ["ok", "\ud800"]})
    assert list(refused.value.fields) == ["items[1]"]
    nested: list = []
    for _ in range(limits.MAX_JSON_DEPTH + 2):
        nested = [nested]
    with pytest.raises(InvalidInput) as refused:
        storable(nested)
    assert list(refused.value.fields) == ["body"]
    storable({"record_ids": [1, 2], "form": {"reason": "已整改"}})


def test_bounded_documents_refuse_long_text_and_long_lists():
    bounded_document({"a": ["x" * 10]}, "context", "文书数据", max_text=10)
    for bad in ({"a": "x" * 11}, {"a": list(range(101))}, {"a\x00": 1}):
        with pytest.raises(InvalidInput) as refused:
            bounded_document(bad, "context", "文书数据", max_text=10)
        assert list(refused.value.fields) == ["context"]
