"""What several kinds' service tasks do alike: issue a letter, close, share, notify.

Public on purpose: a kind uses these, never another kind's private helpers.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, select

from workflows.archive.issuers import CREDIT_OFFICE, issuer_block
from workflows.archive.issuing import issue_letter
from workflows.core.clock import to_local
from workflows.core.models.cases import Notification, OutboxEvent
from workflows.core.models.people import User
from workflows.engine.step import StepContext
from workflows.people.notices import announce


def issue(ctx: StepContext, letter_type: str, context: dict[str, Any], number: str | None = None, *,
          decided_by: str | None = CREDIT_OFFICE) -> dict[str, Any]:
    """Issue a letter on this case (numbered, archived, audited in the step's transaction) in the
    name of the department that decides it (DOMAIN.md §H): pass `designating_department(ctx)` or
    another department's code; the default is the credit office."""
    context = {k: v for k, v in context.items() if v is not None}
    letter = issue_letter(ctx.session, letter_type, context, actor=ctx.actor.username, now=ctx.now(),
                          public_url=ctx.public_url, case_id=ctx.case.id, number=number,
                          decided_by=decided_by, on_issued=ctx.letter_issued)
    return {"id": letter.id, "number": letter.number, "type": letter_type}


def issuer_for_step(ctx: StepContext, letter_type: str, decided_by: str | None) -> dict[str, Any]:
    """The `issuer` a letter decided by `decided_by` carries, when the step needs it before issuing."""
    return issuer_block(ctx.session, letter_type, decided_by)


def designating_department(ctx: StepContext) -> str | None:
    """The department that designated the case's records (谁认定、谁约谈; it verifies objections):
    the case's department."""
    return ctx.case.department_code


def accepting_department(ctx: StepContext) -> str | None:
    """The department that accepted the case's commitment: the case's department."""
    return ctx.case.department_code


ORGANS = {"credit_office": lambda ctx: CREDIT_OFFICE, "designating_department": designating_department,
          "accepting_department": accepting_department}


def received_date(ctx: StepContext) -> str:
    """The day the case was received, whose regime fixes its procedure (DOMAIN.md §0)."""
    return to_local(ctx.case.received_at).date().isoformat()


def deciding_organ(ctx: StepContext, act: str) -> str | None:
    """The department in whose name the letter announcing `act` goes out (DMN `letter_issuer`,
    DOMAIN.md §H); None is the credit office."""
    organ = ctx.rules.decide("letter_issuer", act=act, received_date=received_date(ctx))["organ"]
    return ORGANS[organ](ctx)


def legal_basis(ctx: StepContext, matter: str) -> str:
    """The basis a letter on `matter` cites, by the regime of the case's receipt (DMN `legal_basis`)."""
    return ctx.rules.decide("legal_basis", matter=matter, received_date=received_date(ctx))["basis"]


def close(ctx: StepContext, outcome: str, summary: str) -> None:
    """Record the outcome the flow reached; the engine closes the case when the flow ends."""
    ctx.task.data["outcome"] = outcome
    ctx.record("outcome", summary, after={"outcome": outcome})


def share(ctx: StepContext, kind: str, payload: dict[str, Any]) -> None:
    """Put an event on the outbox other government systems read (same transaction). When this
    step issued letters, the event goes out once they are rendered (it names their numbers)."""
    last_letter = max((letter.id for letter in ctx.letters), default=None)
    ctx.session.add(OutboxEvent(kind=kind, case_id=ctx.case.id, created_at=ctx.now(), letter_id=last_letter, payload={
        "case_id": ctx.case.id, "subject_code": ctx.case.subject_code, **payload}))


def notify_applicant(ctx: StepContext, message: str) -> None:
    """Every account bound to the case's subject, in one INSERT … SELECT; by mail after the
    commit (and after this step's letters are archived: the mail carries them)."""
    last_letter = max((letter.id for letter in ctx.letters), default=None)
    ctx.session.execute(NOTIFY_SUBJECT_ACCOUNTS, {"case_id": ctx.case.id, "kind": "case_update",
                                                  "message": message[:500], "created_at": ctx.now(),
                                                  "subject_code": ctx.case.subject_code, "letter_id": last_letter})
    announce(ctx.session)


NOTIFY_SUBJECT_ACCOUNTS = insert(Notification.__table__).from_select(  # built once; Core: values are binds
    ["case_id", "username", "kind", "message", "created_at", "letter_id"],
    select(bindparam("case_id", type_=Notification.case_id.type), User.username,
           bindparam("kind", type_=Notification.kind.type), bindparam("message", type_=Notification.message.type),
           bindparam("created_at", type_=Notification.created_at.type),
           bindparam("letter_id", type_=Notification.letter_id.type))
    .where(User.subject_code == bindparam("subject_code")))


def notify_department(ctx: StepContext, message: str) -> None:
    """Every officer of the case's department."""
    users = ctx.session.scalars(select(User.username).where(User.department_code == ctx.case.department_code))
    for username in users:
        ctx.notify("case_update", message, username=username)


def subject_party(ctx: StepContext) -> dict[str, Any]:
    """The party a letter is addressed to, from the case's subject."""
    code = ctx.case.subject_code
    category = "natural_person" if code and code[:17].isdigit() else "legal_person"
    return {"name": ctx.task.data["subject_name"], "code": code, "category": category}


def application_context(ctx: StepContext, matter: str, ref_prefix: str = "XF") -> dict[str, Any]:
    """The addressee and the application a letter answers."""
    summaries = ctx.task.data["record_summaries"]
    return {"subject": subject_party(ctx), "application": {
        "matter": matter, "received_date": to_local(ctx.case.received_at).date().isoformat(),
        "summary": "涉及" + "、".join(r["decision_no"] for r in summaries),
        "case_ref": f"{ref_prefix}-{ctx.case.id:06d}"}}


def letter_records(ctx: StepContext) -> list[dict[str, Any]]:
    """The case's records as letters list them."""
    return [{"department": r["department"], "decision_no": r["decision_no"], "content": r["content"] or r["decision_no"],
             "decision_date": r["decision_date"]} for r in ctx.task.data["record_summaries"]]


def cn_date(iso: str) -> str:
    day = date.fromisoformat(iso[:10])
    return f"{day.year}年{day.month}月{day.day}日"
