"""The words of warning interviews (约谈): their kinds, the topics every interview covers, and
the named conditions its gateways use (only an explicit yes counts: a missing answer takes the
stricter branch)."""
from __future__ import annotations

from collections.abc import Callable

KIND = "interview"  # the BPMN process id (bpmn/interview.bpmn)
LABEL = "约谈"
PARTY_MESSAGES = frozenset({"reschedule_requested"})  # what a party may send the running flow from outside its tasks
INTERVIEW_KINDS = {"prompt": "提示约谈", "warning": "警示约谈"}
TOPICS = {"policy": "信用政策法规", "measures": "失信惩戒措施及其影响", "repair": "信用修复的途径和程序"}


def attended_interview(attended: bool | None) -> bool:
    """The subject came to the interview (到场); otherwise it is recorded as a refusal."""
    return attended is True


def has_rectified(rectified: bool | None) -> bool:
    """The follow-up found the problem rectified (整改到位); otherwise the case escalates."""
    return rectified is True


PREDICATES: dict[str, Callable[..., bool]] = {
    "attended_interview": attended_interview,
    "has_rectified": has_rectified,
}
