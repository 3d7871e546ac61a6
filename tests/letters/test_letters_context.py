"""Context validation: missing fields named, primitives only, applicant text inert."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from markupsafe import Markup

import letters
from letters import LetterContextError, UnknownLetterTypeError

from tests.support.letters import extract


def test_missing_field_is_named_by_key_and_chinese_label() -> None:
    context = letters.demo_context("repair_decision")
    del context["subject"]["name"]
    with pytest.raises(LetterContextError) as error:
        letters.render("repair_decision", context)
    assert "缺少字段：subject.name（当事人名称）" in str(error.value)
    assert error.value.fields == {"subject.name": "当事人名称"}


def test_all_missing_fields_reported_at_once() -> None:
    context = letters.demo_context("repair_decision")
    del context["basis"]
    context["records"][0]["content"] = " "
    with pytest.raises(LetterContextError) as error:
        letters.validate_context("repair_decision", context)
    assert set(error.value.fields) == {"basis", "records[0].content"}


def test_item_fields_apply_to_the_items_given() -> None:
    context = letters.demo_context("repair_refusal")
    del context["records"]
    assert letters.validate_context("repair_refusal", context)["records"] is None
    context["records"] = [{"department": "泉州市应急管理局", "decision_no": "泉应急罚〔2026〕17号"}]
    with pytest.raises(LetterContextError) as error:
        letters.validate_context("repair_refusal", context)
    assert set(error.value.fields) == {"records[0].content"}


def test_malformed_values_rejected() -> None:
    context = letters.demo_context("interview_notice")
    context["interview_kind"] = "friendly"
    context["scheduled_at"] = "2026-11-28 09:30"  # no offset
    context["date"] = "21/11/2026"
    with pytest.raises(LetterContextError) as error:
        letters.validate_context("interview_notice", context)
    assert set(error.value.fields) == {"interview_kind", "scheduled_at", "date"}
    assert "可选：prompt、warning" in str(error.value)


def test_conditionally_required_field() -> None:
    context = letters.demo_context("objection_outcome")
    del context["corrections"]
    with pytest.raises(LetterContextError, match="corrections"):
        letters.validate_context("objection_outcome", context)
    context["outcome"] = "uphold"
    assert letters.validate_context("objection_outcome", context)["corrections"] is None


def test_validation_fills_optional_fields_without_touching_input() -> None:
    context = letters.demo_context("acceptance")
    del context["application"]["summary"]
    before = copy.deepcopy(context)
    data = letters.validate_context("acceptance", context)
    assert data["application"]["summary"] is None
    assert context == before


@pytest.mark.parametrize("bad", [dt.date(2026, 11, 21), Markup("<b>x</b>"), ("a",), object(),
                                 {1: "x"}])
def test_non_primitive_context_rejected(bad) -> None:
    context = letters.demo_context("acceptance")
    context["application"]["summary"] = bad
    with pytest.raises(LetterContextError, match="application.summary|字段名"):
        letters.render("acceptance", context)


def test_renderer_namespace_is_reserved() -> None:
    context = letters.demo_context("acceptance")
    context["letter"] = {"title": "假标题"}
    with pytest.raises(LetterContextError, match="letter"):
        letters.validate_context("acceptance", context)


def test_context_must_be_a_dict() -> None:
    with pytest.raises(LetterContextError):
        letters.validate_context("acceptance", [("date", "2026-11-21")])


def test_unknown_type_is_a_clear_error() -> None:
    with pytest.raises(UnknownLetterTypeError) as error:
        letters.render("parking_ticket", {})
    assert isinstance(error.value, ValueError)
    assert "parking_ticket" in str(error.value) and "repair_decision" in str(error.value)
    with pytest.raises(UnknownLetterTypeError):
        letters.demo_context("parking_ticket")


def test_script_in_subject_name_is_literal_text() -> None:
    context = letters.demo_context("acceptance")
    context["subject"]["name"] = "<script>alert(1)</script>恒信&建材"
    text = extract(letters.render("acceptance", context)).text
    assert "<script>alert(1)</script>恒信&建材：" in text


def test_markup_built_by_templates_is_not_escaped_twice() -> None:
    context = letters.demo_context("commitment")
    context["content"] = ["不得 <b>改动</b> & 删除"]
    text = extract(letters.render("commitment", context)).text
    assert "不得 <b>改动</b> & 删除。" in text
    assert "&amp;" not in text and "&lt;" not in text


def test_demo_contexts_use_only_documented_fields() -> None:
    from letters.catalog import catalog

    for kind in catalog().values():
        declared = {spec.path.replace("[]", "") for spec in kind.fields}
        for path in _leaf_paths(letters.demo_context(kind.key)):
            assert path in declared, f"{kind.key}: {path} is not in meta.json"


def _leaf_paths(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for item in value:
            yield from _leaf_paths(item, prefix)
    else:
        yield prefix
