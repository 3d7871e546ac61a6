"""Warning operations for the pages and the API: permission, one transaction, one commit."""
from __future__ import annotations

from datetime import datetime
from workflows.core.errors import Forbidden
from workflows.core.store import Store
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.people.permissions import allows, require

from .scan import ScanReport, close_warning, scan_warnings


def scan_now(store: Store, rules: RuleBook, actor: Actor, now: datetime) -> ScanReport:
    """The credit office's "scan now": the nightly scan, run on demand (idempotent)."""
    require(actor, "may_scan_warnings", "只有信用办可以立即扫描信用风险预警")
    with store.write() as uow:
        report = scan_warnings(uow.session, rules, now, actor.username)
        uow.commit()
    return report


def close(store: Store, actor: Actor, warning_id: int, note: str, now: datetime) -> None:
    """Close an open warning after the interview (谁认定、谁约谈), with the reason why."""
    require(actor, "may_close_warnings", "您无权关闭信用风险预警")
    with store.write() as uow:
        close_warning(uow.session, warning_id, actor.username, now, note, closing_scope(actor))
        uow.commit()


def closing_scope(actor: Actor) -> str | None:
    """The credit office closes any warning; a department officer only those in its inbox."""
    if allows(actor, "may_close_any_warning"):
        return None
    if not actor.department_code:
        raise Forbidden("您的账号未设置所属部门。")
    return actor.department_code
