"""What an action gets to work with: the transaction, the clock, the actor, the case."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from sqlalchemy.orm import Session

from workflows.core.clock import Clock
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.models.letters import Letter
from workflows.people.access import Actor
from workflows.people.notices import notify


@dataclass
class StepContext:
    session: Session
    clock: Clock
    actor: Actor
    case: Case
    workflow: BpmnWorkflow | None = None
    task: Task | None = None  # the service task being executed
    public_url: str = "http://127.0.0.1:5000"  # base of links printed in letters
    calendar: Callable[[], Any] | None = None  # -> WorkingCalendar in force
    rules: Any = None  # RuleBook of the case's spec set (DMN outside a business-rule task)
    outbox_messages: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    outbox_starts: list[dict[str, Any]] = field(default_factory=list)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    new_case: bool = False  # started in this step: nothing refers to it yet
    events: list[CaseEvent] = field(default_factory=list)  # audit rows, written together at the end
    letters: list[Letter] = field(default_factory=list)  # letters issued in this step

    def now(self) -> datetime:
        return self.clock.now()

    def post_message(self, case_id: int, name: str, payload: dict[str, Any]) -> None:
        """Deliver a message to another case once this step has committed (never before)."""
        self.outbox_messages.append((case_id, name, payload))

    def post_start(self, kind: str, subject_code: str, data: dict[str, Any], department_code: str,
                   title: str = "") -> None:
        """Open another case once this step has committed (e.g. an interview after a breach)."""
        self.outbox_starts.append({"kind": kind, "subject": subject_code, "data": data,
                                   "department_code": department_code, "title": title})

    def deadline(self, start: datetime, working_days: int) -> datetime:
        """Due time `working_days` after `start` (DOMAIN.md §G), on the admin calendar."""
        return self.calendar().deadline(start, int(working_days))

    def record(self, kind: str, summary: str = "", *, bpmn_id: str | None = None,
               task_id: str | None = None, before: dict[str, Any] | None = None,
               after: dict[str, Any] | None = None) -> None:
        """Append an audit event for this case (part of the same transaction)."""
        self.add_event(CaseEvent(
            case_id=self.case.id, at=self.now(), actor=self.actor.username, kind=kind,
            bpmn_id=bpmn_id, task_id=task_id, summary=summary[:500], before=before, after=after))

    def add_event(self, event: CaseEvent) -> None:
        """Audit rows wait for the step's last flush: one INSERT for all of them, in order."""
        self.events.append(event)

    def letter_issued(self, letter: Letter, event: CaseEvent) -> None:
        """`issue_letter`'s hook: the audit row joins the batch; the letter is remembered."""
        self.letters.append(letter)
        self.add_event(event)

    def notify(self, kind: str, message: str, *, role: str | None = None,
               username: str | None = None) -> None:
        """In-app now, by mail/SMS after the commit; after this step's letters are archived when
        it issued any (the message names them)."""
        last_letter = max((letter.id for letter in self.letters), default=None)
        notify(self.session, kind, message, self.now(), case_id=self.case.id, role=role, username=username,
               letter_id=last_letter)
