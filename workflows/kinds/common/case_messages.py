"""What a party may tell a running case from outside its tasks: withdraw it, report a breach,
ask to move an interview.

Each verb checks permission and state against the case as the engine will change it: the
checks read one version of the case and the engine delivers the message only if the case is
still at that version (checked under its row lock, in the engine's one transaction). If the
case moved meanwhile, the checks run again on the new version, so a refusal never writes
anything and a stale check never lets a message through.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflows.core.errors import CaseError, Conflict, Forbidden, InvalidInput
from workflows.engine.case_engine import CaseEngine
from workflows.engine.case_view import readable_case
from workflows.engine.models import Case
from workflows.people.access import Actor
from workflows.people.permissions import allows

WITHDRAWABLE = ("repair", "objection")  # the flows that wait for a "withdraw" message
ATTEMPTS = 3  # a case that keeps moving under the caller is reported as a conflict


def withdrawal_refusal(actor: Actor, case: Case) -> CaseError | None:
    """Why `actor` may not withdraw `case` now (None: they may): the applicant (or an admin)
    withdraws a running repair or objection; a commitment (or an interview) has no withdrawal."""
    if not allows(actor, "may_withdraw_case", subject_code=case.subject_code):
        return Forbidden("只有申请人可以撤回申请。")
    if case.status != "running":
        return Conflict("案件已办结。")
    if case.kind == "commitment":
        return Conflict("信用承诺不能在此撤回，请联系受理单位。")
    if case.kind not in WITHDRAWABLE:
        return Conflict("此类案件不能撤回。")
    return None


def breach_refusal(actor: Actor, case: Case) -> CaseError | None:
    """Only the accepting department (or an admin) reports a breach of a commitment."""
    if case.kind != "commitment" or not allows(actor, "may_report_breach", department_code=case.department_code):
        return Forbidden("只有承诺的受理单位可以报告违诺。")
    return None


def may_withdraw(actor: Actor, case: Case) -> bool:
    """What the withdraw button asks: exactly when `withdraw_case` would go ahead."""
    return withdrawal_refusal(actor, case) is None


def may_report_breach(actor: Actor, case: Case) -> bool:
    return breach_refusal(actor, case) is None


def withdraw_case(engine: CaseEngine, actor: Actor, case_id: int) -> Case:
    """Withdraw a running repair or objection request (撤回申请)."""
    return _deliver(engine, actor, case_id, lambda case: withdrawal_refusal(actor, case),
                    "withdraw", {"by": actor.username})


def report_breach(engine: CaseEngine, actor: Actor, case_id: int, data: dict[str, Any]) -> Case:
    """The department found a breach before the verification date (`data` as the verify task's)."""
    if data.get("fulfilment") == "full":
        raise InvalidInput("违诺不能认定为全部履行。", {"fulfilment": "可选：partial、none、false"})
    return _deliver(engine, actor, case_id, lambda case: breach_refusal(actor, case), "breach_reported", data)


def request_reschedule(engine: CaseEngine, actor: Actor, case_id: int, body: dict[str, Any]) -> Case:
    """A party asks to move an interview (once; the flow refuses a second request)."""
    def refusal(case: Case) -> CaseError | None:
        if case.kind != "interview":
            return InvalidInput("只有约谈可以改期。", {"case": "不是约谈案件"})
        if not allows(actor, "may_request_reschedule", subject_code=case.subject_code,
                      department_code=case.department_code):
            return Forbidden("您无权为该约谈申请改期")
        return None
    payload = {"scheduled_at": body.get("scheduled_at"), "place": body.get("place"),
               "reason": body.get("reason", ""), "requested_by": actor.username}
    return _deliver(engine, actor, case_id, refusal, "reschedule_requested", payload)


def _deliver(engine: CaseEngine, actor: Actor, case_id: int, refusal: Callable[[Case], CaseError | None],
             name: str, payload: Any) -> Case:
    """Check a version of the case, then deliver only to that version (else check again)."""
    for _attempt in range(ATTEMPTS):
        case = _readable(engine, actor, case_id)
        refused = refusal(case)
        if refused is not None:
            raise refused
        try:
            return engine.send_message(case_id, name, payload, actor, expected_version=case.version)
        except Conflict:
            if _readable(engine, actor, case_id).version == case.version:
                raise  # refused by the flow itself, not by a concurrent change
    raise Conflict("案件正在被他人更新，请稍后重试")


def _readable(engine: CaseEngine, actor: Actor, case_id: int) -> Case:
    with engine.store.read() as session:
        return readable_case(session, actor, case_id)
