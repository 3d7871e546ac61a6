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

from workflows.core.errors import Conflict, Forbidden, InvalidInput
from workflows.engine.case_engine import CaseEngine
from workflows.engine.case_view import readable_case
from workflows.engine.models import Case
from workflows.people.access import Actor
from workflows.people.permissions import allows

ATTEMPTS = 3  # a case that keeps moving under the caller is reported as a conflict


def may_withdraw(actor: Actor, case: Case) -> bool:
    """The applicant (or an admin) may withdraw a running request; a commitment has no withdrawal."""
    return (allows(actor, "may_withdraw_case", subject_code=case.subject_code)
            and case.status == "running" and case.kind != "commitment")


def may_report_breach(actor: Actor, case: Case) -> bool:
    """Only the accepting department (or an admin) reports a breach of a commitment."""
    return case.kind == "commitment" and allows(actor, "may_report_breach", department_code=case.department_code)


def withdraw_case(engine: CaseEngine, actor: Actor, case_id: int) -> Case:
    """Withdraw a running repair, objection or interview request (撤回申请)."""
    def check(case: Case) -> None:
        if not allows(actor, "may_withdraw_case", subject_code=case.subject_code):
            raise Forbidden("只有申请人可以撤回申请。")
        _check_running(case)
        if case.kind == "commitment":  # the flow has no withdrawal: the department decides
            raise Conflict("信用承诺不能在此撤回，请联系受理单位。")
    return _deliver(engine, actor, case_id, check, "withdraw", {"by": actor.username})


def report_breach(engine: CaseEngine, actor: Actor, case_id: int, data: dict[str, Any]) -> Case:
    """The department found a breach before the verification date (`data` as the verify task's)."""
    if data.get("fulfilment") == "full":
        raise InvalidInput("违诺不能认定为全部履行。", {"fulfilment": "可选：partial、none、false"})

    def check(case: Case) -> None:
        if not may_report_breach(actor, case):
            raise Forbidden("只有承诺的受理单位可以报告违诺。")
    return _deliver(engine, actor, case_id, check, "breach_reported", data)


def request_reschedule(engine: CaseEngine, actor: Actor, case_id: int, body: dict[str, Any]) -> Case:
    """A party asks to move an interview (once; the flow refuses a second request)."""
    def check(case: Case) -> None:
        if case.kind != "interview":
            raise InvalidInput("只有约谈可以改期。", {"case": "不是约谈案件"})
        if not allows(actor, "may_request_reschedule", subject_code=case.subject_code,
                      department_code=case.department_code):
            raise Forbidden("您无权为该约谈申请改期")
    payload = {"scheduled_at": body.get("scheduled_at"), "place": body.get("place"),
               "reason": body.get("reason", ""), "requested_by": actor.username}
    return _deliver(engine, actor, case_id, check, "reschedule_requested", payload)


def _check_running(case: Case) -> None:
    if case.status != "running":
        raise Conflict("案件已办结。")


def _deliver(engine: CaseEngine, actor: Actor, case_id: int, check: Callable[[Case], None],
             name: str, payload: Any) -> Case:
    """Check a version of the case, then deliver only to that version (else check again)."""
    for _attempt in range(ATTEMPTS):
        case = _readable(engine, actor, case_id)
        check(case)
        try:
            return engine.send_message(case_id, name, payload, actor, expected_version=case.version)
        except Conflict:
            if _readable(engine, actor, case_id).version == case.version:
                raise  # refused by the flow itself, not by a concurrent change
    raise Conflict("案件正在被他人更新，请稍后重试")


def _readable(engine: CaseEngine, actor: Actor, case_id: int) -> Case:
    with engine.store.read() as session:
        return readable_case(session, actor, case_id)
