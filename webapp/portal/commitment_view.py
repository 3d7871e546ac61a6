"""How a credit commitment (信用承诺) reads to the one who made it: its status in words, what
happens next, and the part of the case page that belongs to commitments.

No routes here: `cases.py` draws the case page with `commitment_panel`, `home.py` asks
`commitment_expectation`, and `commitment.py` handles the commitment's own pages and steps.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.commitments import Commitment
from workflows.kinds.commitment.templates import TYPES
from workflows.kinds.commitment.vocabulary import DISCLOSURES, FULFILMENTS
from workflows.kinds.common.applicant_views import MyCasePage

from .common import local_time
from .forms import ConfirmForm, StatementForm, SupplyForm

# 待确认 / 待受理 come from the open task (the register row says "filed" for both).
STATUS_LABELS = {"confirm": _l("Awaiting your confirmation"), "accept": _l("Awaiting acceptance"),
                 "accepted": _l("Accepted by the department"), "fulfilled": _l("fulfilled"),
                 "breached": _l("breached"), "rejected": _l("not_accepted"), "withdrawn": _l("withdrawn"),
                 "breach_pending": _l("Breach proposed, statement period running"),
                 "cleared": _l("breach_dropped")}
STATUS_BADGES = {"confirm": "text-bg-warning", "accept": "text-bg-info", "accepted": "text-bg-primary",
                 "fulfilled": "text-bg-success", "breached": "text-bg-danger", "rejected": "text-bg-secondary",
                 "breach_pending": "text-bg-warning", "cleared": "text-bg-success"}


def status_key(row: Commitment, tasks: list[HumanTask]) -> str:
    if row.status in ("filed", "confirmed"):
        return "confirm" if any(t.bpmn_id == "confirm" for t in tasks) else "accept"
    return row.status


def status_label(row: Commitment, tasks: list[HumanTask]) -> str:
    key = status_key(row, tasks)
    return str(STATUS_LABELS.get(key, key))


def fulfilment_label(row: Commitment) -> str:
    """履行状态 once the department has verified it ("" before)."""
    return FULFILMENTS.get(row.fulfilment or "", "")


def commitment_expectation(case: Case, tasks: list[HumanTask]) -> str:
    """The applicant signs first and supplies 容缺 materials later; the department does the rest."""
    if case.status != "running":
        return ""
    open_ids = {task.bpmn_id: task for task in tasks}
    if "confirm" in open_ids:
        return _("Please read, confirm and sign your commitment.")
    if "supply" in open_ids:
        due = open_ids["supply"].due_at
        if due is None:
            return _("Please supply the missing materials.")
        return _("Please supply the missing materials before %(due)s", due=local_time(due))
    if "statement" in open_ids:
        due = open_ids["statement"].due_at
        return _("The department proposes to find the commitment broken. You may state and defend before %(due)s.",
                 due=local_time(due) if due is not None else "")
    if "decide" in open_ids:
        return _("The department is deciding on the breach, having regard to your statement.")
    if "accept" in open_ids:
        return _("Waiting for the accepting department to accept the commitment.")
    if "verify" in open_ids:
        return _("The department is verifying whether the commitment was kept.")
    return _("Accepted; the department will verify on the verification date whether the commitment was kept.")


@dataclass
class CommitmentPanel:
    """What the case page shows of a commitment, with the forms of the applicant's open step."""

    row: Commitment | None
    status: str
    type_name: str
    disclosure: str
    fulfilment: str
    confirm_task: HumanTask | None
    supply_task: HumanTask | None
    confirm_form: ConfirmForm
    supply_form: SupplyForm
    statement_task: HumanTask | None = None
    statement_form: StatementForm | None = None

    @property
    def text_lines(self) -> list[str]:
        return self.row.text.splitlines() if self.row is not None else []

    @property
    def supply_due(self) -> str:
        return local_time(self.supply_task.due_at) if self.supply_task is not None else ""

    @property
    def statement_due(self) -> str:
        task = self.statement_task
        return local_time(task.due_at) if task is not None and task.due_at is not None else ""


def commitment_panel(page: MyCasePage, confirm_form: ConfirmForm | None,
                     supply_form: SupplyForm | None, statement_form: StatementForm | None = None) -> CommitmentPanel:
    """Forms not posted in this request start empty; an open step's form carries its task and
    the case version, so an answer to a page that has changed meanwhile is a conflict."""
    case, tasks, row = page.mine.case, page.mine.tasks, page.commitment
    confirm, supply, statement = page.confirm, page.supply, page.statement
    confirm_form = confirm_form or ConfirmForm(formdata=None)
    supply_form = supply_form or SupplyForm(formdata=None)
    statement_form = statement_form or StatementForm(formdata=None)
    for task, form in ((confirm, confirm_form), (supply, supply_form), (statement, statement_form)):
        if task is not None:
            form.task_id.data, form.version.data = task.id, str(case.version)
    return CommitmentPanel(row, status_label(row, tasks) if row else "",
                           TYPES.get(row.commitment_type, "") if row else "",
                           DISCLOSURES.get(row.disclosure, "") if row else "",
                           fulfilment_label(row) if row else "", confirm, supply, confirm_form, supply_form,
                           statement, statement_form)
