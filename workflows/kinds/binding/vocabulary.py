"""The words of a binding request (主体绑定申请): its process id, relations, the documents
each relation proves itself with, the reviewer's decisions and the working-day limits."""
from __future__ import annotations

from collections.abc import Callable

KIND = "binding"  # the BPMN process id (bpmn/binding.bpmn)
LABEL = "主体绑定"
PARTY_MESSAGES = frozenset({"withdraw"})  # the filer may withdraw while the request runs
RELATIONS = {"holder": "法定代表人/本人", "agent": "委托代理人"}
NOTICE_WORDS = {"holder": "持有人", "agent": "代理人"}  # how holders are told who asks
DECISIONS = {"approve": "予以绑定", "reject": "不予绑定", "supplement": "需补正"}
DOCUMENTS = {"business_licence": "营业执照", "id_card": "身份证件", "authorisation": "授权委托书",
             "agent_id": "代理人身份证件"}
REVIEW_DAYS = 3  # working days the credit office has to decide
SUPPLEMENT_DAYS = 10  # working days the filer has to supplement; then the request lapses
MAX_AUTHORISATION_YEARS = 3  # an agent's authorisation ends at most this far ahead
SUBJECT_NAME_MAX = 200
NOTE_MAX = 1000
MAX_DOCUMENTS = 10


def proof_of(category: str) -> str:
    """What proves the subject itself: a company's business licence, a person's ID card."""
    return "id_card" if category == "natural_person" else "business_licence"


def required_documents(category: str, relation: str) -> tuple[str, ...]:
    """A holder shows the subject's proof; an agent also the signed 授权委托书 and its own ID."""
    proof = proof_of(category)
    return (proof, "authorisation", "agent_id") if relation == "agent" else (proof,)


# The gateways use the shared `is_approved(decision)` and `needs_supplement(decision)`.
PREDICATES: dict[str, Callable[..., bool]] = {}
