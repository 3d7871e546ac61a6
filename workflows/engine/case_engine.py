"""The case engine: start cases, complete and claim tasks, deliver events, fire timers.

Every verb is one transaction (DESIGN.md principle 3): lock the case row, check its
version, load the workflow, apply the step, run engine steps, then save the JSON, the
projections and the audit events together. Any error rolls the whole step back.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import (
    MessageEventDefinition,
    SignalEventDefinition,
)
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.calendar_source import CalendarSource
from workflows.core.clock import Clock, FixedClock, to_local
from workflows.core.db import connection_lost
from workflows.core.errors import (
    ActionFailed,
    CaseError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
)
from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.core.store import Store
from workflows.engine import spiff_clock
from workflows.engine.case_view import CaseRows
from workflows.engine.follow_ups import (MESSAGE, AlreadyDelivered, claim, describe_follow_up, drop_refused,
                                        keep_follow_ups, read_follow_up, waiting_follow_ups)
from workflows.engine.projections import (
    next_timer_at,
    open_user_tasks,
    sync_human_tasks,
)
from workflows.engine.registry import KindRegistry
from workflows.engine.rules import RuleBook
from workflows.engine.script_env import build_script_engine, current_step
from workflows.engine.serializer import SERIALIZER_VERSION, CaseSerializer
from workflows.engine.specs import SpecLibrary
from workflows.engine.step_support import final_data, on_a_live_connection, pending_timers, unwrap
from workflows.engine.step import StepContext
from workflows.engine.task_data import validate_task_data
from workflows.engine.workflow_cache import WorkflowCache
from workflows.people.access import SYSTEM, Actor
from workflows.people.delegation import substitute_for
from workflows.people.names import display_names
from workflows.people.permissions import allows, may_work_lane, require
from workflows.people.users import actor_for

log = logging.getLogger(__name__)


@dataclass
class Opening:
    """What a filer works out from the database before a case starts: its data and who owns it."""

    data: dict[str, Any]
    department_code: str | None = None
    title: str = ""
    loaded: list[Any] = field(default_factory=list)  # rows the step reuses from the session (kept alive)
    # rows stored with the new case before its flow starts (a request's documents), same transaction
    with_case: Callable[[Any, Case], None] | None = None


Prepare = Callable[[Any], Opening]  # session -> Opening; raises CaseError to refuse the filing
Describe = Callable[[Any, Case, CaseRows | None], None]  # read the case before the step commits
Check = Callable[[Case], None]  # raises CaseError to refuse a step on the locked case


@dataclass
class Step(StepContext):
    """A StepContext plus what the engine tracks while saving."""

    finished: dict[str, str] = field(default_factory=dict)
    created_tasks: list[HumanTask] = field(default_factory=list)
    written_events: list[CaseEvent] = field(default_factory=list)
    unchanged: bool = False  # the verb found nothing to do (a repeat): no save, no version bump
    follow_up_ids: list[int] = field(default_factory=list)  # rows this step left for _deliver


class CaseEngine:
    def __init__(self, store: Store, specs: SpecLibrary, clock: Clock,
                 calendar: CalendarSource | None = None, public_url: str = "http://127.0.0.1:5000",
                 kinds: KindRegistry | None = None, workflow_cache: WorkflowCache | None = None) -> None:
        self.store, self.specs, self.clock, self.public_url = store, specs, clock, public_url
        self.workflows = workflow_cache if workflow_cache is not None else WorkflowCache()
        self.kinds = kinds or KindRegistry()
        self.calendar = calendar or CalendarSource(store, clock)
        self.serializer = CaseSerializer()
        self._rule_books: dict[str, RuleBook] = {}
        self.script_engine = build_script_engine(self.calendar.get, clock, self.kinds.actions, self.kinds.predicates)
        with self.store.write() as uow:
            self.specs.ensure_stored(uow.session, clock.now())
            uow.commit()

    # -- verbs ---------------------------------------------------------------------------

    def start_case(self, kind: str, subject: str | None, data: dict[str, Any], actor: Actor, *,
                   department_code: str | None = None, title: str = "", prepare: Prepare | None = None,
                   describe: Describe | None = None, follow_up: int | None = None) -> Case:
        """`prepare` reads what the case needs (records, parties) in the same transaction, so a
        filing is one transaction and one connection, and a refusal from it writes nothing.
        `describe` reads the case as it will be committed (an API answer) without a second one.
        `follow_up`: the row of another step's follow-up this start delivers (taken in its transaction)."""
        spec, subprocess_specs = self.specs.current.process(kind)
        with self.store.write() as uow:
            if follow_up is not None:
                claim(uow.session, follow_up)
            opening = prepare(uow.session) if prepare is not None else Opening({}, department_code, title)
            data = {**data, **opening.data}
            department_code, title = opening.department_code, opening.title
            case = self._new_case_row(uow.session, kind, subject, department_code, title, actor)
            if opening.with_case is not None:
                opening.with_case(uow.session, case)
            workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=self.script_engine)
            step = self._new_step(uow.session, actor, case, workflow)
            step.new_case = True
            start_data = {**data, **self._case_variables(case)}
            with self._running(step):
                workflow.get_tasks(state=TaskState.READY)[0].data.update(start_data)
                step.record("case_started", f"{actor.username} 发起案件", after={"data": data})
                workflow.do_engine_steps()
                self._save(step, version_bump=False)
            step.follow_up_ids = keep_follow_ups(uow.session, step)
            if describe is not None:
                uow.session.flush()  # ids for the rows the description lists
                describe(uow.session, case, CaseRows(tasks=step.created_tasks, letters=step.letters,
                                                     events=step.written_events))
            uow.commit()
        self.workflows.keep(case.id, case.workflow_json, workflow)
        self._deliver(step)
        return case

    def complete_task(self, task_id: str, data: dict[str, Any], actor: Actor,
                      expected_version: int | None = None, describe: Describe | None = None) -> Case:
        """`describe` (every verb below takes one) reads the case as the step commits it."""
        with self._step(self._case_of_task(task_id), actor, expected_version, describe=describe) as step:
            task = self._ready_task(step, task_id)
            self._authorize(actor, task, step.case)
            self._check_claim(step.session, actor, task)
            clean = validate_task_data(self.kinds.validator(step.case.kind, task.task_spec.bpmn_id), data,
                                       self._reserved_names())
            task.data.update(clean)
            task.run()
            step.finished[task_id] = actor.username
            step.record("task_completed", f"完成任务“{task.task_spec.bpmn_name}”",
                        bpmn_id=task.task_spec.bpmn_id, task_id=task_id, after={"data": clean})
            step.workflow.do_engine_steps()
        return step.case

    # Claim, unclaim and assign are idempotent: asking for the holder the task already has
    # changes nothing (no version bump, no event) and answers the case as it is, whatever
    # version was sent — a retried request must not mint history. The version is checked
    # only when the holder would change.

    def claim(self, task_id: str, actor: Actor, expected_version: int | None = None,
              describe: Describe | None = None) -> Case:
        with self._step(self._case_of_task(task_id), actor, None, describe=describe) as step:
            task = self._ready_task(step, task_id)
            self._authorize(actor, task, step.case)
            self._check_claim(step.session, actor, task)
            self._set_assignee(step, task, actor.username, "task_claimed", expected_version)
        return step.case

    def unclaim(self, task_id: str, actor: Actor, expected_version: int | None = None,
                describe: Describe | None = None) -> Case:
        with self._step(self._case_of_task(task_id), actor, None, describe=describe) as step:
            task = self._ready_task(step, task_id)
            holder = task.internal_data.get("assignee")
            may_assign = allows(actor, "may_assign_tasks")
            if holder is None and not (may_assign or self._may_work(actor, task, step.case)):
                raise Forbidden("只能退回本人认领的任务")
            if holder is not None and holder != actor.username and not may_assign:
                raise Forbidden("只能退回本人认领的任务")
            self._set_assignee(step, task, None, "task_unclaimed", expected_version)
        return step.case

    def assign(self, task_id: str, assignee: str, actor: Actor,
               expected_version: int | None = None, describe: Describe | None = None) -> Case:
        require(actor, "may_assign_tasks", "只有科室负责人可以分派任务")
        with self._step(self._case_of_task(task_id), actor, None, describe=describe) as step:
            task = self._ready_task(step, task_id)
            target = actor_for(step.session, assignee, self.clock.now())
            if target is None or not self._may_work(target, task, step.case):
                raise InvalidInput(f"用户 {assignee} 不能办理此任务", {"assignee": "该用户无此任务的办理权限"})
            substitute = substitute_for(step.session, assignee, self.clock.now())  # out of office
            stand_in = actor_for(step.session, substitute, self.clock.now()) if substitute else None
            if stand_in is not None and self._may_work(stand_in, task, step.case):
                self._set_assignee(step, task, substitute, "task_assigned", expected_version, delegated_from=assignee)
            else:
                self._set_assignee(step, task, assignee, "task_assigned", expected_version)
        return step.case

    def send_message(self, case_id: int, name: str, payload: Any, actor: Actor,
                     expected_version: int | None = None, check: Check | None = None,
                     describe: Describe | None = None, follow_up: int | None = None) -> Case:
        """Deliver a message or signal from outside (an objection, a withdrawal, a breach).

        `check` sees the case under its row lock, before anything changes: a permission or
        state rule that raises there refuses the message in the same transaction."""
        with self._step(case_id, actor, expected_version, check, describe, follow_up) as step:
            definition = self._waiting_definition(step.workflow, name)
            event = BpmnEvent(definition, payload=payload)
            step.workflow.send_event(event)
            step.record("message_received", f"收到事件“{name}”", after={"name": name, "payload": payload})
            step.workflow.do_engine_steps()
        return step.case

    def fire_due_timers(self, now: datetime | None = None, limit: int = 1000) -> int:
        """Fire every timer due by `now`; safe to run from several processes at once."""
        clock = FixedClock(now) if now is not None else self.clock
        tried: set[int] = set()
        fired = 0
        while len(tried) < limit:
            case_id = self._next_due_case(clock.now(), tried)
            if case_id is None:
                break
            tried.add(case_id)
            fired += self._fire_case(case_id, clock)
        return fired

    # -- steps ---------------------------------------------------------------------------

    @contextmanager
    def _step(self, case_id: int, actor: Actor, expected_version: int | None,
              check: Check | None = None, describe: Describe | None = None,
              follow_up: int | None = None) -> Iterator[Step]:
        with self.store.write() as uow:
            if follow_up is not None:
                claim(uow.session, follow_up)
            case = uow.lock_case(case_id)
            if check is not None:
                check(case)
            self._check_version(case, expected_version)
            step = self._new_step(uow.session, actor, case, self._load(uow.session, case))
            with self._running(step):
                yield step
                if not step.unchanged:  # a repeat has nothing to save: its commit writes nothing
                    self._save(step)
            step.follow_up_ids = keep_follow_ups(uow.session, step)
            if describe is not None:
                uow.session.flush()
                describe(uow.session, step.case, None)
            uow.commit()
        self.workflows.keep(step.case.id, step.case.workflow_json, step.workflow)
        self._deliver(step)

    @contextmanager
    def _running(self, step: Step, clock: Clock | None = None) -> Iterator[None]:
        token = current_step.set(step)
        try:
            with spiff_clock.bound_clock(clock or self.clock):
                yield
        except CaseError:
            raise
        except Exception as err:  # an action or script failed: the step is rolled back
            if connection_lost(err):
                raise  # not the action's fault: the caller answers 503 (or a read runs again)
            domain_error = unwrap(err)
            if isinstance(domain_error, ActionFailed):
                log.exception("case %s: step failed", step.case.id)
            raise domain_error from err
        finally:
            current_step.reset(token)

    def _deliver(self, step: Step) -> None:
        """The follow-ups the committed step left, each in its own transaction."""
        for follow_up_id in step.follow_up_ids:
            self.deliver_follow_up(follow_up_id)

    def deliver_waiting_follow_ups(self, limit: int = 200) -> int:
        """Follow-ups left by a crash or a lost connection (the sweeps call this); how many went."""
        return sum(self.deliver_follow_up(follow_up_id) for follow_up_id in waiting_follow_ups(self.store, limit))

    def deliver_follow_up(self, follow_up_id: int) -> bool:
        """Open the case or send the message the row asks for, deleting the row in the same
        transaction; a refusal (the target case no longer waits for it, a subject no longer
        valid) is recorded and the row dropped. Whether this call delivered it."""
        row = read_follow_up(self.store, follow_up_id)
        if row is None:
            return False
        what, wanted = describe_follow_up(row), row.payload
        try:
            if row.action == MESSAGE:
                deliver = partial(self.send_message, wanted["case_id"], wanted["name"], wanted["payload"], SYSTEM,
                                  follow_up=follow_up_id)
            else:
                deliver = partial(self.start_case, wanted["kind"], wanted["subject"], wanted["data"], SYSTEM,
                                  department_code=wanted["department_code"], title=wanted["title"],
                                  follow_up=follow_up_id)
            return on_a_live_connection(deliver, what)
        except AlreadyDelivered:
            return False
        except CaseError as err:
            drop_refused(self.store, self.clock.now(), follow_up_id, row.action, wanted, err)
            return False

    def _next_due_case(self, now: datetime, tried: set[int]) -> int | None:
        with self.store.read() as session:
            query = (select(Case.id).where(Case.status == "running", Case.next_timer_at <= now)
                     .order_by(Case.next_timer_at).limit(1))
            if tried:
                query = query.where(Case.id.not_in(tried))
            return session.scalars(query).first()

    def _fire_case(self, case_id: int, clock: Clock) -> bool:
        """Fire one case's due timers under a row lock another sweeper skips, not waits for."""
        try:
            with self.store.write() as uow:
                case = uow.lock_case_if_due(case_id, clock.now())
                if case is None:  # another sweeper has it, or fired it already
                    return False
                step = self._new_step(uow.session, SYSTEM, case, self._load(uow.session, case), clock)
                with self._running(step, clock):
                    before = pending_timers(step.workflow)
                    step.workflow.refresh_timers()
                    step.workflow.do_engine_steps()
                    for name, due in sorted(before - pending_timers(step.workflow)):
                        step.record("timer_fired", f"定时事件“{name}”到期", after={"timer": name, "due_at": due})
                    self._save(step)
                step.follow_up_ids = keep_follow_ups(uow.session, step)
                uow.commit()
                self.workflows.keep(case_id, step.case.workflow_json, step.workflow)
            self._deliver(step)
            return True
        except CaseError as err:
            self._record_timer_failure(case_id, err)
            return False

    def _record_timer_failure(self, case_id: int, err: CaseError) -> None:
        """Keep the sweep going; the failure is visible in the case timeline."""
        with self.store.write() as uow:
            uow.session.add(CaseEvent(case_id=case_id, at=self.clock.now(), actor=SYSTEM.username,
                                      kind="timer_failed", summary=err.message[:500]))
            uow.commit()

    def _new_step(self, session, actor: Actor, case: Case, workflow: BpmnWorkflow,
                  clock: Clock | None = None) -> Step:
        return Step(session, clock or self.clock, actor, case, workflow=workflow, public_url=self.public_url,
                    calendar=self.calendar.get, rules=self.rules_for(session, case.spec_set_id))

    def rules_for(self, session, spec_set_id: str) -> RuleBook:
        """DMN tables of a spec set, for actions that judge facts outside a rule task."""
        book = self._rule_books.get(spec_set_id)
        if book is None:
            current = self.specs.current
            newer = None if spec_set_id == current.id else self.rules_for(session, current.id)
            book = self._rule_books[spec_set_id] = RuleBook(self.specs.get(session, spec_set_id), newer)
        return book

    def _load(self, session, case: Case) -> BpmnWorkflow:
        """The workflow as the locked row holds it: the one the last step here left, when the
        row still has exactly the JSON that step wrote (see workflow_cache), else deserialised."""
        cached = self.workflows.take(case.id, case.workflow_json)
        if cached is not None:
            return cached
        bundle = self.specs.get(session, case.spec_set_id)
        spec, subprocess_specs = bundle.process(case.kind)
        workflow = self.serializer.loads(case.workflow_json, spec, subprocess_specs)
        workflow.script_engine = self.script_engine
        return workflow

    def _save(self, step: Step, version_bump: bool = True) -> None:
        case, workflow, now = step.case, step.workflow, self.clock.now()
        current = open_user_tasks(workflow)
        case.workflow_json = self.serializer.dumps(workflow)
        case.serializer_version = SERIALIZER_VERSION
        case.next_timer_at = None if workflow.completed else next_timer_at(workflow)
        case.updated_at = now
        if version_bump:
            case.version += 1
        changes = sync_human_tasks(step.session, case, current, now, step.actor.username, step.finished,
                                   new_case=not version_bump)
        self._audit_task_changes(step, changes)
        if workflow.completed and case.status == "running":
            self._close(step, workflow)
        step.created_tasks.extend(changes["created"])
        step.written_events.extend(step.events)
        step.session.add_all(step.events)
        step.events.clear()

    def _close(self, step: Step, workflow: BpmnWorkflow) -> None:
        data = final_data(workflow)
        step.case.status = "completed"
        step.case.outcome = str(data.get("outcome")) if data.get("outcome") is not None else None
        step.case.closed_at = self.clock.now()
        step.record("case_closed", f"案件办结：{step.case.outcome or ''}", after={"outcome": step.case.outcome})

    def _audit_task_changes(self, step: Step, changes: dict[str, list[HumanTask]]) -> None:
        for row in changes["created"]:
            step.record("task_created", f"待办：{row.name}", bpmn_id=row.bpmn_id, task_id=row.id,
                        after={"lane": row.lane, "due_at": row.due_at.isoformat() if row.due_at else None})
        for row in changes["closed"]:
            if row.id not in step.finished:
                step.record("task_cancelled", f"任务“{row.name}”已取消", bpmn_id=row.bpmn_id, task_id=row.id)

    # -- helpers -------------------------------------------------------------------------

    def _new_case_row(self, session, kind, subject, department_code, title, actor) -> Case:
        now = self.clock.now()
        case = Case(kind=kind, status="running", subject_code=subject, department_code=department_code,
                    title=title, spec_set_id=self.specs.current.id, serializer_version=SERIALIZER_VERSION,
                    workflow_json="{}", version=1, received_at=now, created_by=actor.username,
                    created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        return case

    def _case_variables(self, case: Case) -> dict[str, Any]:
        return {"case_id": case.id, "case_kind": case.kind, "subject_code": case.subject_code,
                "department_code": case.department_code,
                "received_at": to_local(case.received_at).isoformat()}

    def _case_of_task(self, task_id: str) -> int:
        with self.store.read() as session:
            row = session.get(HumanTask, task_id)
        if row is None:
            raise NotFound("任务不存在")
        if row.state != "ready":
            raise Conflict("任务已办理或已取消")
        return row.case_id

    def _check_version(self, case: Case, expected: int | None) -> None:
        if expected is not None and int(expected) != case.version:
            raise Conflict(f"案件已被他人更新（当前版本 {case.version}），请刷新后重试")

    def _ready_task(self, step: Step, task_id: str) -> Task:
        try:
            task = step.workflow.get_task_from_id(UUID(task_id))
        except (ValueError, KeyError, WorkflowException):
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise Conflict("任务已办理或已取消")
        return task

    def _may_work(self, actor: Actor, task: Task, case: Case) -> bool:
        return may_work_lane(actor, task.task_spec.lane, department_code=case.department_code,
                             subject_code=case.subject_code, filed_by=case.created_by)

    def _authorize(self, actor: Actor, task: Task, case: Case) -> None:
        if not self._may_work(actor, task, case):
            raise Forbidden("您无权办理此任务")

    def _check_claim(self, session: Session, actor: Actor, task: Task) -> None:
        """A task claimed by someone else is theirs — or their substitute's while they are away."""
        holder = task.internal_data.get("assignee")
        if holder and holder != actor.username and substitute_for(session, holder, self.clock.now()) != actor.username:
            raise Conflict(f"任务已由 {display_names(session, [holder])[holder]} 认领")

    def _set_assignee(self, step: Step, task: Task, username: str | None, kind: str,
                      expected_version: int | None = None, delegated_from: str | None = None) -> None:
        before = task.internal_data.get("assignee")
        if before == username:
            step.unchanged = True
            return
        self._check_version(step.case, expected_version)
        task.internal_data["assignee"] = username
        verb = {"task_claimed": "认领", "task_unclaimed": "退回", "task_assigned": "分派"}[kind]
        after = {"assignee": username, **({"delegated_from": delegated_from} if delegated_from else {})}
        note = f"（{delegated_from} 外出，由代办人办理）" if delegated_from else ""
        step.record(kind, f"{verb}任务“{task.task_spec.bpmn_name}”：{before or '无'} → {username or '无'}{note}",
                    bpmn_id=task.task_spec.bpmn_id,
                    task_id=str(task.id), before={"assignee": before}, after=after)
        if kind == "task_assigned" and username != step.actor.username:
            title = f"（{step.case.title}）" if step.case.title else ""
            step.notify("task_assigned", f"案件 #{step.case.id}{title}的任务“{task.task_spec.bpmn_name}”已分派给您办理",
                        username=username)

    def _waiting_definition(self, workflow: BpmnWorkflow, name: str):
        for pending in workflow.waiting_events():
            if pending.name == name and pending.event_type == "MessageEventDefinition":
                return MessageEventDefinition(name)
            if pending.name == name and pending.event_type == "SignalEventDefinition":
                return SignalEventDefinition(name)
        raise Conflict(f"案件当前不接受事件“{name}”")

    def _reserved_names(self) -> frozenset[str]:
        return frozenset(self.script_engine.environment.globals)
