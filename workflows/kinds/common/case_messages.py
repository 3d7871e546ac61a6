"""What a party may tell a running case from outside its tasks: withdraw it, report a breach,
ask to move an interview.

Each verb is one transaction: the engine locks the case row, runs the verb's check on it
(may the actor read it, send this, in this state?) and only then delivers the message, so a
refusal writes nothing and no concurrent change slips between the check and the delivery.
Which messages a kind's flow accepts from a party is declared with the kind (`PARTY_MESSAGES`
in its vocabulary; tests hold it against the BPMN).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from workflows.core import limits
from workflows.core.date_rules import after_now, refuse_dates
from workflows.core.errors import CaseError, Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.limits import moment_field, text_field
from workflows.core.models.cases import Case
from workflows.engine.case_engine import CaseEngine, Describe
from workflows.engine.case_view import may_read_case
from workflows.kinds import KINDS
from workflows.people.access import Actor
from workflows.people.permissions import FILER_KINDS, allows, may_follow_filed, unscoped

ACCEPTED = {kind.key: kind.messages for kind in KINDS}  # kind -> messages a party may send it


def withdrawal_refusal(actor: Actor, case: Case) -> CaseError | None:
    """Why `actor` may not withdraw `case` now (None: they may): the applicant (or an admin)
    withdraws a running repair or objection; a commitment (or an interview) has no withdrawal.
    A binding request is withdrawn by the account that filed it (or an admin)."""
    if case.kind in FILER_KINDS:
        party = may_follow_filed(actor, case.kind, case.created_by) or unscoped(actor, "may_withdraw_case")
    else:
        party = allows(actor, "may_withdraw_case", subject_code=case.subject_code)
    if not party:
        return Forbidden("只有申请人可以撤回申请。")
    if case.status != "running":
        return Conflict("案件已办结。")
    if case.kind == "commitment":
        return Conflict("信用承诺不能在此撤回，请联系受理单位。")
    if "withdraw" not in ACCEPTED.get(case.kind, frozenset()):
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


def withdraw_case(engine: CaseEngine, actor: Actor, case_id: int, describe: Describe | None = None) -> Case:
    """Withdraw a running repair or objection request (撤回申请).

    `describe` (each verb here takes one) reads the case as the verb's transaction commits it."""
    return _deliver(engine, actor, case_id, lambda case: withdrawal_refusal(actor, case),
                    "withdraw", {"by": actor.username}, describe)


def report_breach(engine: CaseEngine, actor: Actor, case_id: int, data: dict[str, Any],
                  describe: Describe | None = None) -> Case:
    """The department found a breach before the verification date (`data` as the verify task's)."""
    if data.get("fulfilment") == "full":
        raise InvalidInput("违诺不能认定为全部履行。", {"fulfilment": "请选择部分履行、全部未履行或虚假承诺"})
    return _deliver(engine, actor, case_id, lambda case: breach_refusal(actor, case), "breach_reported", data,
                    describe)


def request_reschedule(engine: CaseEngine, actor: Actor, case_id: int, body: dict[str, Any],
                       describe: Describe | None = None) -> Case:
    """A party asks to move an interview (once; the flow refuses a second request)."""
    def refusal(case: Case) -> CaseError | None:
        if case.kind != "interview":
            return InvalidInput("只有约谈可以改期。", {"case": "不是约谈案件"})
        if not allows(actor, "may_request_reschedule", subject_code=case.subject_code,
                      department_code=case.department_code):
            return Forbidden("您无权为该约谈申请改期")
        return None
    payload = reschedule_request(body, engine.clock.now()) | {"requested_by": actor.username}
    return _deliver(engine, actor, case_id, refusal, "reschedule_requested", payload, describe)


def reschedule_request(body: Any, now: datetime) -> dict[str, Any]:
    """The new time, place and reason, checked before the case is locked: the place goes
    into a letter rendered inside the transaction, so its size bounds the time the lock is held."""
    if not isinstance(body, dict):
        raise InvalidInput("改期申请格式不正确", {"body": "应为对象"})
    errors: dict[str, str] = {}
    moment = moment_field(body.get("scheduled_at"), "scheduled_at", "改期时间", errors=errors)
    place = text_field(body.get("place"), "place", "约谈地点", limits.LINE, errors=errors)
    reason = text_field(body.get("reason"), "reason", "改期理由", limits.TITLE, errors=errors)
    if errors:
        raise InvalidInput("改期申请不正确", errors)
    after_now(moment, now, "scheduled_at", "改期时间", errors)
    refuse_dates("改期时间不正确", errors)
    return {"scheduled_at": moment.isoformat() if moment else None, "place": place or None, "reason": reason}


def _deliver(engine: CaseEngine, actor: Actor, case_id: int, refusal: Callable[[Case], CaseError | None],
             name: str, payload: Any, describe: Describe | None = None) -> Case:
    """Check the locked case, then deliver, in the engine's one transaction."""
    def check(case: Case) -> None:
        if not may_read_case(actor, case):
            raise NotFound("案件不存在")  # no existence leak
        refused = refusal(case)
        if refused is not None:
            raise refused

    return engine.send_message(case_id, name, payload, actor, check=check, describe=describe)
