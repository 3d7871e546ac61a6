"""The words of warning interviews (约谈): their kinds, the topics every interview covers, and
the named conditions its gateways use (only an explicit yes counts: a missing answer takes the
stricter branch — except for listing, where only an explicit decision to list burdens the subject)."""
from __future__ import annotations

from collections.abc import Callable

KIND = "interview"  # the BPMN process id (bpmn/interview.bpmn)
LABEL = "约谈"
PARTY_MESSAGES = frozenset({"reschedule_requested"})  # what a party may send the running flow from outside its tasks
INTERVIEW_KINDS = {"prompt": "提示约谈", "warning": "警示约谈"}
TOPICS = {"policy": "信用政策法规", "measures": "失信惩戒措施及其影响", "repair": "信用修复的途径和程序"}
LISTING_DECISIONS = {"list": "列入重点关注名单", "not_list": "不予列入"}
ESCALATION_FACTS = {"absent": "经书面通知，无正当理由拒不参加约谈", "not_rectified": "约谈后未在规定期限内完成整改"}


def attended_interview(attended: bool | None) -> bool:
    """The subject came to the interview (到场); otherwise its absence is recorded."""
    return attended is True


def had_justified_reason(absence_justified: bool | None) -> bool:
    """The officer found a justified reason for the absence (正当理由): no bar, no escalation."""
    return absence_justified is True


def has_rectified(rectified: bool | None) -> bool:
    """The follow-up found the problem rectified (整改到位); otherwise the case escalates."""
    return rectified is True


def is_listing_proposed(listing_proposed: bool | None) -> bool:
    """The escalation rule proposes the key-attention list: the subject is told and heard first."""
    return listing_proposed is True


def decides_to_list(listing: str | None) -> bool:
    """The department, having considered any statement, decides to list (列入)."""
    return listing == "list"


PREDICATES: dict[str, Callable[..., bool]] = {
    "attended_interview": attended_interview,
    "had_justified_reason": had_justified_reason,
    "has_rectified": has_rectified,
    "is_listing_proposed": is_listing_proposed,
    "decides_to_list": decides_to_list,
}
