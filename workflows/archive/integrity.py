"""Is the stored state whole? Cases against their tasks, history and letters; the archive.

Every case step saves the case JSON, its task projection, its audit events and its letters
in one transaction, so a crash, a killed connection or a failed step may lose a step but
never leave half of one. This check proves it after the fact (the fault tests run it after
killing the server's database connections; operators run `credit-cases check-integrity`):

- each case's JSON loads, and says running exactly when the row does;
- the ready rows of `human_task` are exactly the workflow's ready user tasks, same holders;
- one `case_started` event per case, one `case_closed` per closed case, none for a running one;
- every letter of a case has its `letter_issued` event;
- per letter series and year the serial numbers run 1..n without a gap, and the counter says n;
- every archived PDF still has the sha256 and size stored with it; a letter still `pending`
  (numbered, rendered after its step's commit) has no bytes yet and passes, unless it has been
  pending longer than `rendering.OVERDUE` (a worker stuck or a render failing again and again).

Read-only, in batches (PDFs are streamed, not all held at once).
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.archive.rendering import OVERDUE
from workflows.core.models.letters import PENDING, Letter, Sequence
from workflows.core.store import Store
from workflows.engine.projections import open_user_tasks
from workflows.engine.serializer import CaseSerializer
from workflows.engine.specs import SpecLibrary

BATCH = 200
PDF_BATCH = 50
LETTER_SERIES = ("letter-no:", "letter:")  # per prefix; per type before 0013n. 承诺编码 counters may be set by imports


@dataclass(frozen=True)
class Problem:
    where: str  # "case 12", "letter 泉信用受〔2026〕3号", "series letter:acceptance/2026"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class IntegrityReport:
    cases: int = 0
    letters: int = 0
    series: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "完整" if self.ok else f"发现 {len(self.problems)} 个问题"
        return f"已检查 {self.cases} 个案件、{self.letters} 份文书、{self.series} 个文号序列：{verdict}"


def check_integrity(store: Store, specs: SpecLibrary, serializer: CaseSerializer | None = None,
                    now: datetime | None = None) -> IntegrityReport:
    """`now` (default: the wall clock) decides which pending letters are pending too long."""
    report = IntegrityReport()
    serializer = serializer or CaseSerializer()
    with store.read() as session:
        _check_cases(session, specs, serializer, report)
        _check_numbering(session, report)
        _check_archive(session, report, now or datetime.now(timezone.utc))
    return report


# -- cases -----------------------------------------------------------------------------------

def _check_cases(session: Session, specs: SpecLibrary, serializer: CaseSerializer, report: IntegrityReport) -> None:
    after = 0
    while True:
        cases = list(session.scalars(select(Case).where(Case.id > after).order_by(Case.id).limit(BATCH)))
        if not cases:
            return
        ids = [case.id for case in cases]
        tasks, events, letters = _ready_tasks(session, ids), _event_kinds(session, ids), _letter_events(session, ids)
        for case in cases:
            report.cases += 1
            report.problems += _case_problems(case, specs, serializer, session, tasks[case.id], events[case.id],
                                              letters[case.id])
        after = ids[-1]


def _case_problems(case: Case, specs: SpecLibrary, serializer: CaseSerializer, session: Session,
                   ready: dict[str, str | None], events: Counter, letters: dict[int, bool]) -> list[Problem]:
    where, found = f"case {case.id}", []
    try:
        spec, subprocesses = specs.get(session, case.spec_set_id).process(case.kind)
        workflow = serializer.loads(case.workflow_json, spec, subprocesses)
    except Exception as err:  # noqa: BLE001 - whatever stops it loading is the finding
        return [Problem(where, f"workflow JSON does not load: {err}")]
    running = case.status == "running"
    if running == workflow.completed:
        found.append(Problem(where, f"status {case.status!r} but the workflow is "
                                    f"{'completed' if workflow.completed else 'not completed'}"))
    if not running and case.closed_at is None:
        found.append(Problem(where, "closed without closed_at"))
    expected = {task_id: task.assignee for task_id, task in open_user_tasks(workflow).items()}
    if set(expected) != set(ready):
        found.append(Problem(where, f"ready tasks {sorted(ready)} but the workflow has {sorted(expected)}"))
    else:
        found += [Problem(where, f"task {task_id} held by {ready[task_id]!r}, workflow says {holder!r}")
                  for task_id, holder in expected.items() if ready[task_id] != holder]
    if events["case_started"] != 1:
        found.append(Problem(where, f"{events['case_started']} case_started events"))
    closed = 1 if case.status == "completed" else 0
    if events["case_closed"] != closed:
        found.append(Problem(where, f"{events['case_closed']} case_closed events for a {case.status} case"))
    found += [Problem(where, f"letter {letter_id} has no letter_issued event")
              for letter_id, recorded in letters.items() if not recorded]
    return found


def _ready_tasks(session: Session, ids: list[int]) -> dict[int, dict[str, str | None]]:
    found: dict[int, dict[str, str | None]] = defaultdict(dict)
    rows = session.execute(select(HumanTask.case_id, HumanTask.id, HumanTask.assignee)
                           .where(HumanTask.case_id.in_(ids), HumanTask.state == "ready"))
    for case_id, task_id, assignee in rows:
        found[case_id][task_id] = assignee
    return found


def _event_kinds(session: Session, ids: list[int]) -> dict[int, Counter]:
    found: dict[int, Counter] = defaultdict(Counter)
    rows = session.execute(select(CaseEvent.case_id, CaseEvent.kind).where(
        CaseEvent.case_id.in_(ids), CaseEvent.kind.in_(("case_started", "case_closed"))))
    for case_id, kind in rows:
        found[case_id][kind] += 1
    return found


def _letter_events(session: Session, ids: list[int]) -> dict[int, dict[int, bool]]:
    """Each case's letters → whether a `letter_issued` event names them."""
    found: dict[int, dict[int, bool]] = defaultdict(dict)
    for case_id, letter_id in session.execute(select(Letter.case_id, Letter.id).where(Letter.case_id.in_(ids))):
        found[case_id][letter_id] = False
    rows = session.execute(select(CaseEvent.case_id, CaseEvent.after).where(
        CaseEvent.case_id.in_(ids), CaseEvent.kind == "letter_issued"))
    for case_id, after in rows:
        letter_id = (after or {}).get("letter_id")
        if letter_id in found[case_id]:
            found[case_id][letter_id] = True
    return found


# -- letters ---------------------------------------------------------------------------------

def _check_numbering(session: Session, report: IntegrityReport) -> None:
    """Serial numbers 1..n per series and year, and the counter standing at n."""
    serials: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = session.execute(select(Letter.series, Letter.year, Letter.serial).where(Letter.serial.is_not(None)))
    for series, year, serial in rows:
        serials[(series, str(year))].append(serial)
    counters = {(s, p): v for s, p, v in session.execute(
        select(Sequence.series, Sequence.period, Sequence.last_value).where(or_(*(Sequence.series.startswith(p) for p in LETTER_SERIES))))}
    for key in sorted(set(serials) | set(counters)):
        report.series += 1
        where, taken = f"series {key[0]}/{key[1]}", sorted(serials.get(key, []))
        missing = sorted(set(range(1, counters.get(key, 0) + 1)) - set(taken))
        if missing:
            report.problems.append(Problem(where, f"numbers {_ranges(missing)} counted but not issued (a gap)"))
        beyond = [n for n in taken if n > counters.get(key, 0)]
        if beyond:
            report.problems.append(Problem(where, f"numbers {_ranges(beyond)} issued beyond the counter "
                                                  f"({counters.get(key, 0)})"))


def _check_archive(session: Session, report: IntegrityReport, now: datetime) -> None:
    """Every archived PDF against its stored sha256 and size (a batch of PDFs at a time);
    pending letters only for how long they have waited."""
    after = 0
    while True:
        rows = session.execute(select(Letter.id, Letter.number, Letter.status, Letter.issued_at,
                                      Letter.render_error, Letter.sha256, Letter.size, Letter.pdf)
                               .where(Letter.id > after).order_by(Letter.id).limit(PDF_BATCH)).all()
        if not rows:
            return
        for _id, number, status, issued_at, error, sha256, size, pdf in rows:
            report.letters += 1
            where = f"letter {number}"
            if status == PENDING:
                if pdf is not None or sha256 is not None:
                    report.problems.append(Problem(where, "pending but has archived bytes"))
                elif issued_at < now - OVERDUE:
                    report.problems.append(Problem(where, f"pending since {issued_at.isoformat()} (not rendered)"
                                                          + (f": {error}" if error else "")))
            elif pdf is None or sha256 is None or hashlib.sha256(pdf).hexdigest() != sha256 or len(pdf) != size:
                report.problems.append(Problem(where, "archived PDF does not match its sha256/size"))
        after = rows[-1][0]


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → "1–3, 7" (a long gap stays one line)."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
