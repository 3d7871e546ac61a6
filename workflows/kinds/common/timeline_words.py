"""The words a case's timeline reads in: each kind's decisions and outcomes in Chinese, so a
reader sees "完成任务“认定部门决定”：予以修复。理由：…" and "案件办结：予以修复", never the keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workflows.kinds.binding import vocabulary as binding
from workflows.kinds.commitment import vocabulary as commitment
from workflows.kinds.interview import vocabulary as interview
from workflows.kinds.repair import vocabulary as repair

YES_NO = {True: "yes", False: "no"}  # validated task data may hold booleans for yes/no radios
# kind -> task field -> value -> words; fields are listed in the order they read.
CHOICES: dict[str, dict[str, dict[str, str]]] = {
    "repair": {"decision": {**repair.DECISIONS, **repair.FIRST_REVIEW_DECISIONS}},
    "binding": {"decision": binding.DECISIONS},
    "objection": {"decision": {"accept": "予以受理，转认定部门核实", "reject": "不属于异议，不予受理"},
                  "outcome": {"correct": "予以更正", "revoke": "予以撤销", "uphold": "维持原记录"}},
    "commitment": {"decision": {"accept": "予以受理", "reject": "不予受理", **commitment.BREACH_DECISIONS},
                   "fulfilment": commitment.FULFILMENTS},
    "interview": {"attended": {"yes": "已到场", "no": "未到场"}, "rectified": {"yes": "已整改", "no": "未整改"},
                  "listing": interview.LISTING_DECISIONS},
}
OUTCOMES: dict[str, str] = {  # a case's end, as the portal's labels say it
    "approved": "予以修复", "rejected": "不予修复", "not_accepted": "不予受理", "withdrawn": "已撤回",
    "corrected": "已更正", "revoked": "已撤销", "upheld": "维持原记录", "fulfilled": "已践诺", "breached": "已违诺",
    "breach_dropped": "不予认定违诺", "rectified": "已整改", "escalated": "已升级处理", "absent": "未到场",
    "absent_justified": "有正当理由未到场", "not_rectified": "逾期未整改", "listed": "已列入重点关注名单",
    "not_listed": "不予列入", "bound": "已绑定", "not_bound": "不予绑定",
}
KIND_OUTCOMES: dict[str, dict[str, str]] = {  # where a kind says an outcome in its own words
    "objection": {"rejected": "不予受理"}, "commitment": {"rejected": "不予受理"},
}


@dataclass(frozen=True)
class KindWords:
    """`workflows.engine.timeline.Words` for one case kind."""

    choices_by_field: dict[str, dict[str, str]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)

    def choices(self, data: dict[str, Any]) -> str:
        said = []
        for name, labels in self.choices_by_field.items():
            value = YES_NO.get(data[name], data[name]) if isinstance(data.get(name), bool) else data.get(name)
            if isinstance(value, str) and value in labels:
                said.append(labels[value])
        return "，".join(said)

    def outcome(self, outcome: str) -> str:
        return self.outcomes.get(outcome) or OUTCOMES.get(outcome) or "已办结"


def words_for(kind: str) -> KindWords:
    """The vocabulary of `kind` (any kind: unknown keys read as nothing, never as raw keys)."""
    return KindWords(CHOICES.get(kind, {}), KIND_OUTCOMES.get(kind, {}))
