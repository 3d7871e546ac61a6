"""Variant texts: commitment types, interview kinds, refusal kinds, objection outcomes."""

from __future__ import annotations

import pytest

COMMITMENT_TEXT = {
    "approval_substitute": ("审批替代型", "自愿以书面承诺替代相关审批材料", "依法撤销相关许可"),
    "deficiency_acceptance": ("容缺受理型", "对容缺材料（安全生产管理制度文本）", "撤销已作出的审批决定"),
    "certification": ("证明事项告知承诺型", "自愿以书面承诺替代相关证明材料", "撤销相关证书或者决定"),
    "repair": ("信用修复型", "已纠正失信行为、履行法定义务", "按最长期限公示"),
    "industry_self_discipline": ("行业自律型", "作为泉州市建筑业协会成员", "行业组织依照自律规范"),
    "voluntary_disclosure": ("主动公示型", "自愿向社会作出公开信用承诺", "违诺情况向社会公示"),
}
COMMON_COMMITMENTS = (
    "所提交的全部材料真实、合法、有效",
    "依法诚信经营",
    "接受行政机关依法开展的监督检查，接受社会监督",
    "依法依规接受失信联合惩戒",
    "向社会公开，接受社会监督",
)


@pytest.mark.parametrize("commitment_type", list(COMMITMENT_TEXT))
def test_commitment_text_depends_on_type(render_demo, commitment_type) -> None:
    text = render_demo(
        "commitment", commitment_type=commitment_type, industry_body="泉州市建筑业协会",
        deficiency={"materials": ["安全生产管理制度文本"], "due_date": "2026-12-21"},
    ).text.replace("\n", "")
    for phrase in (*COMMITMENT_TEXT[commitment_type], *COMMON_COMMITMENTS):
        assert phrase in text
    others = {t for t in COMMITMENT_TEXT if t != commitment_type}
    assert not any(COMMITMENT_TEXT[t][1] in text for t in others)


@pytest.mark.parametrize("disclosure, phrase", [
    ("restricted", "及相关监管部门范围内公开和共享使用"),
    ("private", "本承诺书不向社会公开"),
])
def test_commitment_publication_consent_follows_disclosure(render_demo, disclosure, phrase):
    text = render_demo("commitment", disclosure=disclosure).text.replace("\n", "")
    assert phrase in text


@pytest.mark.parametrize("kind, label, phrase", [
    ("prompt", "提示约谈", "请你单位按时参加提示约谈"),
    ("warning", "警示约谈", "在规定期限内不予信用修复"),
])
def test_interview_notice_kinds(render_demo, kind, label, phrase) -> None:
    text = render_demo("interview_notice", interview_kind=kind).text.replace("\n", "")
    assert f"本机关作为认定部门，决定对你单位进行{label}" in text
    assert phrase in text
    assert "2026年11月28日9时30分" in text


def test_interview_notice_sent_for_a_designating_department_says_who_decided(render_demo) -> None:
    text = render_demo("interview_notice", designator="泉州市生态环境局").text.replace("\n", "")
    assert "泉州市生态环境局（认定部门）决定对你单位进行警示约谈，由本机关代为通知" in text
    assert "本机关作为认定部门" not in text


@pytest.mark.parametrize("justified, phrase", [(True, "有正当理由"), (False, "无正当理由拒不参加约谈")])
def test_interview_record_of_an_absence_states_the_finding(render_demo, justified, phrase) -> None:
    text = render_demo("interview_record", attended=False, absence_justified=justified,
                       absence_note="法定代表人住院").text.replace("\n", "")
    assert phrase in text and "法定代表人住院" in text


@pytest.mark.parametrize("state, phrase", [("filed", "你单位在规定期限内提出陈述、申辩：评估机构排期延误"),
                                           ("waived", "你单位明确表示放弃陈述、申辩"),
                                           ("none", "你单位在规定期限内未提出陈述、申辩")])
def test_key_attention_decision_states_the_hearing_and_remedies(render_demo, state, phrase) -> None:
    text = render_demo("key_attention_decision", defence={"state": state, "text": "评估机构排期延误"}
                       if state == "filed" else {"state": state}).text.replace("\n", "")
    for fact in (phrase, "本机关决定将你单位列入重点关注名单", "移出条件", "六十日内向泉州市人民政府申请行政复议",
                 "六个月内依法向人民法院提起行政诉讼"):
        assert fact in text


def test_key_attention_notice_states_reasons_basis_removal_and_the_period(render_demo) -> None:
    text = render_demo("key_attention_notice").text.replace("\n", "")
    for fact in ("一、列入理由", "二、列入依据：《国务院办公厅", "四、移出条件", "五个工作日内（2026年11月28日前）",
                 "作出决定前，你单位不列入重点关注名单"):
        assert fact in text


def test_interview_record_lists_topics_and_rectification(render_demo) -> None:
    text = render_demo("interview_record").text.replace("\n", "")
    for phrase in ("宣讲信用政策法规", "告知失信惩戒措施及其对当事人的影响",
                   "说明信用修复的条件和程序", "整改期限：2026年12月28日前", "警示约谈"):
        assert phrase in text


def test_refusal_variant_non_acceptance_changes_title_and_wording(render_demo) -> None:
    text = render_demo("repair_refusal", variant="non_acceptance").text.replace("\n", "")
    assert "不予受理通知书" in text and "不予修复决定书" not in text
    assert "本机关决定不予受理" in text
    assert "如对本通知书不服" in text


def test_refusal_states_reasons_and_remedy(render_demo) -> None:
    text = render_demo("repair_refusal").text.replace("\n", "")
    assert "本机关决定不予信用修复" in text
    assert "（一）该行政处罚信息属于严重失信行为信息" in text
    assert "六十日内向泉州市人民政府申请行政复议" in text


@pytest.mark.parametrize("outcome, phrase", [
    ("correct", "由“罚款人民币二十万元”更正为“罚款人民币二万元”"),
    ("revoke", "终止以上述信息为依据实施的失信惩戒措施"),
    ("uphold", "维持原记录。自2026年11月21日起，恢复公开上述信息"),
])
def test_objection_outcomes(render_demo, outcome, phrase) -> None:
    text = render_demo("objection_outcome", outcome=outcome).text.replace("\n", "")
    assert phrase in text


def test_objection_acceptance_suspends_publicity(render_demo) -> None:
    text = render_demo("objection_acceptance").text.replace("\n", "")
    assert "上述信息暂停公开，以上述信息为依据的失信惩戒措施暂停实施" in text


def test_natural_person_is_addressed_as_you(render_demo) -> None:
    subject = {"name": "王秀英", "code": "350502198803153026", "category": "natural_person"}
    text = render_demo("acceptance", subject=subject).text.replace("\n", "")
    assert "王秀英：你于2026年11月20日" in text
