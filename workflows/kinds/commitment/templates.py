"""规范化信用承诺书模板: the standard text per commitment type, in versions.

The shipped texts are version 1; the credit office saves new versions (never edits old
ones), and each commitment stores the version and the exact text its maker accepted.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.models.commitments import CommitmentTemplate
from workflows.core.store import Store
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require

TYPES = {
    "approval_substitute": "审批替代型", "deficiency_acceptance": "容缺受理型",
    "certification": "证明事项告知承诺型", "repair": "信用修复型",
    "industry_self_discipline": "行业自律型", "voluntary_disclosure": "主动公示型",
}
_COMMON = (
    "所提交的申请材料真实、合法、有效，不存在虚假记载、误导性陈述或重大遗漏；",
    "严格遵守法律法规和行业规范，依法诚信经营；",
    "自觉接受行政机关的监督检查和社会监督；",
    "若违背承诺，愿意承担相应的法律责任，并接受依法依规实施的失信惩戒；",
    "同意本承诺按公开类型予以公开，并记入本主体信用记录。",
)
_SPECIFIC = {
    "approval_substitute": "本主体已知晓审批事项的全部条件和标准，承诺已经具备上述条件，并在规定期限内接受核查。",
    "deficiency_acceptance": "本主体承诺在约定期限内补齐容缺材料，逾期未补齐的，同意撤销已作出的受理或审批决定。",
    "certification": "本主体承诺所承诺的事实真实准确，以承诺替代相关证明材料，愿意接受核查。",
    "repair": "本主体已纠正失信行为、履行相关法定义务，申请信用修复。",
    "industry_self_discipline": "本主体承诺遵守行业自律公约，接受行业组织的自律管理。",
    "voluntary_disclosure": "本主体主动公示上述承诺内容，接受社会监督。",
}


def notification_types(rules: RuleBook, day: date) -> tuple[str, ...]:
    """The types that are 告知承诺 (国办发〔2020〕42号) on `day`: a rule (commitment_rules DMN)."""
    return tuple(t for t in TYPES if is_notification_type(rules, t, day))


def is_notification_type(rules: RuleBook, commitment_type: str, day: date) -> bool:
    return bool(rules.decide("commitment_rules", commitment_type=commitment_type,
                             received_at=day.isoformat())["notification_type"])


def default_text(commitment_type: str) -> str:
    clauses = (_SPECIFIC[commitment_type],) + _COMMON
    return "\n".join(f"{i}. {clause}" for i, clause in enumerate(clauses, 1))


def current_template(session: Session, commitment_type: str) -> tuple[int, str]:
    """(version, text) in force: the newest saved version, else the shipped version 1."""
    _check_type(commitment_type)
    row = session.scalars(select(CommitmentTemplate).where(CommitmentTemplate.commitment_type == commitment_type)
                          .order_by(CommitmentTemplate.version.desc()).limit(1)).first()
    return (row.version, row.text) if row else (1, default_text(commitment_type))


def save_template(session: Session, commitment_type: str, title: str, text: str, actor: str,
                  now: datetime) -> CommitmentTemplate:
    """A new version; earlier versions stay as they were (commitments refer to them)."""
    _check_type(commitment_type)
    if not text or not text.strip():
        raise InvalidInput("承诺书文本不能为空", {"text": "必填"})
    latest = session.scalar(select(func.max(CommitmentTemplate.version))
                            .where(CommitmentTemplate.commitment_type == commitment_type)) or 1
    row = CommitmentTemplate(commitment_type=commitment_type, version=latest + 1, title=(title or TYPES[commitment_type])[:200],
                             text=text.strip(), created_by=actor, created_at=now)
    session.add(row)
    session.flush()
    return row


def template_versions(session: Session, commitment_type: str) -> list[CommitmentTemplate]:
    _check_type(commitment_type)
    return list(session.scalars(select(CommitmentTemplate).where(CommitmentTemplate.commitment_type == commitment_type)
                                .order_by(CommitmentTemplate.version.desc())))


def _check_type(commitment_type: str) -> None:
    if commitment_type not in TYPES:
        raise InvalidInput("未知的承诺类型", {"commitment_type": "可选：" + "、".join(TYPES.values())})


# -- for the pages: one transaction each, the credit office only ---------------------------

def template_overview(store: Store, actor: Actor) -> list[tuple[str, str, int]]:
    """(type, name, current version) for every commitment type."""
    require(actor, "may_manage_commitment_templates")
    with store.read() as session:
        return [(key, name, current_template(session, key)[0]) for key, name in TYPES.items()]


def current_text(store: Store, actor: Actor, commitment_type: str) -> str:
    require(actor, "may_manage_commitment_templates")
    with store.read() as session:
        return current_template(session, commitment_type)[1]


def template_history(store: Store, actor: Actor, commitment_type: str) -> list[tuple]:
    """(version, title, text, by whom (name), at), newest first; version 1 is the shipped text."""
    require(actor, "may_manage_commitment_templates")
    with store.read() as session:
        rows = template_versions(session, commitment_type)
        names = display_names(session, (row.created_by for row in rows))
        versions = [(row.version, row.title, row.text, names.get(row.created_by, row.created_by), row.created_at)
                    for row in rows]
    return [*versions, (1, TYPES[commitment_type], default_text(commitment_type), None, None)]


def save_version(store: Store, actor: Actor, commitment_type: str, title: str, text: str,
                 now: datetime) -> CommitmentTemplate:
    """A new version of the standard text; old versions stay as they were."""
    require(actor, "may_manage_commitment_templates")
    with store.write() as uow:
        row = save_template(uow.session, commitment_type, title, text, actor.username, now)
        uow.commit()
    return row
