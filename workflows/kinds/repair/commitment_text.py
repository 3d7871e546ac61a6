"""The prescribed credit-commitment text an applicant accepts when asking for repair.

DOMAIN.md §B: lawful operation, social supervision, joint punishment if broken; published
and recorded. The exact text (and its version) is stored with the case, so a later edit of
the standard text never changes what an applicant accepted.
"""
from __future__ import annotations

import hashlib

REPAIR_COMMITMENT_VERSION = "repair-2026.1"
REPAIR_COMMITMENT_CLAUSES = (
    "本主体已纠正失信行为、履行相关法定义务，所提交的申请材料真实、合法、有效；",
    "今后严格遵守法律法规和行业规定，依法诚信经营；",
    "主动接受行业主管部门的监督检查和社会监督；",
    "如违背承诺，自愿接受相关部门依法依规实施的失信惩戒，并承担相应法律责任；",
    "同意本承诺书在“信用中国”网站及地方信用网站公开，并记入本主体信用记录。",
)


def repair_commitment_text() -> str:
    return "\n".join(f"{i}. {clause}" for i, clause in enumerate(REPAIR_COMMITMENT_CLAUSES, 1))


def text_digest(text: str) -> str:
    """Lets the server check that the applicant accepted the text it was shown."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
