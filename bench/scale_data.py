"""Bulk data for bench/repair_scale.py: subjects, credit records, closed and open repair cases.

Rows go in by PostgreSQL COPY or SQLite executemany (the per-record services are ~1000× too slow
for a million rows); values pass through each column's own SQLAlchemy bind processor, so they
are stored exactly as the ORM would store them (UTC datetimes, JSON, booleans).
Closed cases carry an empty workflow (`{}`): the benchmark never opens them. Open cases are
clones of ONE case filed through the engine (`file_repair`): same workflow JSON with a new
review-task guid, projection row, record link, audit events and both letters (real PDF bytes).
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from time import perf_counter
from typing import Any

from sqlalchemy import Engine, Table, select, text
from stdnum.cn import uscc

from workflows.core.clock import LOCAL_TZ
from workflows.core.models.letters import Letter
from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.core.models.people import Department, Subject
from workflows.core.models.records import CaseRecord, CreditRecord, PunishmentMeasure, RecordHistory
from workflows.records.case_regimes import regimes_text
from workflows.records import publicity_for
from workflows.engine.rules import RuleBook

CHUNK = 10_000
RESERVED_SUBJECTS = 200  # the last subjects get no cases: the filing benchmark files for them
REVIEWERS = [f"reviewer{i}" for i in range(1, 21)]
# code, name, decision-number prefix, sector
DEPARTMENTS = [
    ("QZ-SCJG", "泉州市市场监督管理局", "泉市监罚", "food"),
    ("QZ-STHJ", "泉州市生态环境局", "泉环罚", "environment"),
    ("QZ-YJGL", "泉州市应急管理局", "泉应急罚", "work_safety"),
    ("QZ-XFJY", "泉州市消防救援支队", "泉消行罚", "fire"),
    ("QZ-SWJ", "国家税务总局泉州市税务局", "泉税罚", ""),
    ("QZ-ZJJ", "泉州市住房和城乡建设局", "泉建罚", ""),
    ("QZ-JTJ", "泉州市交通运输局", "泉交罚", ""),
    ("QZ-RSJ", "泉州市人力资源和社会保障局", "泉人社罚", ""),
]
PLACES = ["丰泽", "鲤城", "洛江", "晋江", "石狮", "南安", "惠安", "安溪", "永春", "德化"]
WORDS = ["清源", "海丝", "刺桐", "东海", "闽南", "开元", "宏达", "鑫盛", "恒信", "安泰", "福顺", "嘉禾"]
TRADES = ["食品", "建材", "贸易", "物流", "电子", "纺织", "机械", "餐饮", "化工", "鞋服"]
FACTS = ["销售不符合食品安全标准的食品", "未按规定申报纳税", "超标排放大气污染物", "未按规定开展安全生产教育培训",
         "消防设施未保持完好有效", "拖欠劳动者工资", "未取得施工许可证擅自施工", "超限运输"]
MEASURES = ["限制参加政府采购", "取消评优评先资格", "限制申请财政性资金项目", "列为重点监管对象"]


@dataclass(frozen=True)
class Scale:
    records: int
    closed: int
    open: int

    @property
    def subjects(self) -> int:
        return max(self.records // 5, RESERVED_SUBJECTS * 2)

    @property
    def label(self) -> str:
        return f"r{self.records}-c{self.closed}-o{self.open}"


# -- bulk loading ------------------------------------------------------------------------------

class Loader:
    """Append rows to a table through COPY (PostgreSQL) or executemany (SQLite).

    Foreign keys are not checked while loading (the generators keep them consistent by
    construction); indexes are maintained as usual. `seconds` adds up the time per table.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine, self.dialect = engine, engine.dialect
        self.sqlite = engine.dialect.name == "sqlite"
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def load(self, model: Any, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        table: Table = model.__table__
        procs = [table.c[c].type.dialect_impl(self.dialect).bind_processor(self.dialect) for c in columns]
        procs = [(i, p) for i, p in enumerate(procs) if p is not None]
        names = ", ".join(f'"{c}"' for c in columns)
        started, raw = perf_counter(), self.engine.raw_connection()
        try:
            count = (self._sqlite if self.sqlite else self._copy)(raw, table.name, names, len(columns),
                                                                  _processed(rows, procs))
            raw.commit()
        finally:
            raw.close()
        self.seconds[table.name] = self.seconds.get(table.name, 0.0) + perf_counter() - started
        self.rows[table.name] = self.rows.get(table.name, 0) + count
        return count

    def _sqlite(self, raw, table: str, names: str, width: int, rows: Iterator[list]) -> int:
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * width)})'
        cursor, count = raw.cursor(), 0
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        cursor.execute("BEGIN")
        for chunk in _chunks(rows, CHUNK):
            cursor.executemany(sql, chunk)
            count += len(chunk)
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA foreign_keys=ON")
        return count

    def _copy(self, raw, table: str, names: str, width: int, rows: Iterator[list]) -> int:
        count = 0
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers (superuser)
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count


def _processed(rows: Iterable[tuple], procs: list) -> Iterator[list]:
    for row in rows:
        row = list(row)
        for i, proc in procs:
            row[i] = proc(row[i])
        yield row


def _chunks(rows: Iterator[list], size: int) -> Iterator[list[list]]:
    chunk: list[list] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the plan: which record each case is about -----------------------------------------------

@dataclass
class Plan:
    """Deterministic choices shared by the generators (seeded)."""

    scale: Scale
    now: datetime
    spec_set_id: str
    serializer_version: str

    def __post_init__(self) -> None:
        rng = random.Random(4)
        per = self.scale.records / self.scale.subjects
        linkable = int((self.scale.subjects - RESERVED_SUBJECTS) * per)
        picked = rng.sample(range(1, linkable + 1), self.scale.closed + self.scale.open)
        self.closed_records = picked[:self.scale.closed]  # case id i+1 -> closed_records[i]
        self.open_records = picked[self.scale.closed:]
        self.approved = {rid for i, rid in enumerate(self.closed_records) if i % 10 < 7}
        self.closed_case_of = {rid: i + 1 for i, rid in enumerate(self.closed_records)}
        self.open_set = set(self.open_records)

    def subject_index(self, record_id: int) -> int:
        return (record_id - 1) * self.scale.subjects // self.scale.records


@lru_cache(maxsize=None)
def subject_code(index: int) -> str:
    """Valid USCC codes in the same order as `index` (appends to the subject indexes)."""
    body = f"91350500MA{index:07d}"
    return body + uscc.calc_check_digit(body)


@lru_cache(maxsize=None)
def subject_name(index: int) -> str:
    rng = random.Random(index)
    return f"泉州市{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司{index % 97 or ''}"


def subject_rows(plan: Plan) -> Iterator[tuple]:
    created = plan.now - timedelta(days=2000)
    for index in range(plan.scale.subjects):
        yield subject_code(index), subject_name(index), "legal_person", created


def department_rows() -> Iterator[tuple]:
    for code, name, _prefix, _sector in DEPARTMENTS:
        yield code, name


def load_subjects(loader: Loader, plan: Plan) -> None:
    loader.load(Department, ("code", "name"), department_rows())
    loader.load(Subject, ("code", "name", "category", "created_at"), subject_rows(plan))


# -- credit records, measures, history ---------------------------------------------------------

RECORD_COLUMNS = ("id", "subject_code", "subject_name", "kind", "severity", "category", "sector",
                  "non_repairable", "decision_no", "decision_date", "department_code", "department_name",
                  "facts", "basis", "content", "fine_amount", "regime", "publicity_status", "publicity_start",
                  "publicity_min_end", "publicity_max_end", "repaired_at", "source", "created_by", "created_at",
                  "updated_at")
MEASURE_COLUMNS = ("id", "record_id", "name", "basis", "implementing_department", "state", "reason",
                   "case_id", "changed_at")
HISTORY_COLUMNS = ("id", "record_id", "case_id", "at", "actor", "action", "before", "after")


class RecordMaker:
    """One record's attributes; publicity windows come from the DMN tables (memoised)."""

    def __init__(self, plan: Plan, rules: RuleBook) -> None:
        self.plan, self.rules, self._memo = plan, rules, {}
        self.today = plan.now.astimezone(LOCAL_TZ).date()
        self.first_day = self.today - timedelta(days=5 * 365)

    def record(self, rid: int) -> dict[str, Any]:
        rng = random.Random(rid)
        sub = self.plan.subject_index(rid)
        dept_code, dept_name, prefix, sector = DEPARTMENTS[rid % len(DEPARTMENTS)]
        if rid in self.plan.open_set or rid in self.plan.closed_case_of:  # repairable, still public
            decided, severity = self.today - timedelta(days=rng.randint(100, 350)), "general"
        else:
            decided = self.first_day + timedelta(days=rng.randint(0, 5 * 365 - 10))
            severity = rng.choices(("minor", "general", "serious"), (2, 6, 2))[0]
        pub = self._publicity(decided, severity, sector)
        status = pub.status(self.today)
        if rid in self.plan.approved:
            status = "stopped"
        created = datetime.combine(decided + timedelta(days=3), time(10), LOCAL_TZ)
        repaired = None  # the day its approved case closed, as the repair's step writes it
        if rid in self.plan.approved:
            repaired = closed_case_times(self.plan, rid)[2].astimezone(LOCAL_TZ).date()
        return {
            "id": rid, "subject_code": subject_code(sub), "subject_name": subject_name(sub), "kind": "penalty",
            "severity": severity, "category": "罚款", "sector": sector, "non_repairable": False,
            "decision_no": f"{prefix}〔{decided.year}〕{rid}号", "decision_date": decided,
            "department_code": dept_code, "department_name": dept_name, "facts": rng.choice(FACTS),
            "basis": "《中华人民共和国行政处罚法》第二十八条",
            "content": f"罚款人民币{rng.randint(1, 50)}千元", "fine_amount": Decimal(rng.randint(1, 50) * 1000),
            "regime": pub.regime, "publicity_status": status, "publicity_start": pub.start,
            "publicity_min_end": pub.min_end, "publicity_max_end": pub.max_end, "repaired_at": repaired,
            "source": "api", "created_by": "dept-import", "created_at": created, "updated_at": created,
        }

    def _publicity(self, decided: date, severity: str, sector: str):
        key = (decided, severity, sector)
        if key not in self._memo:
            self._memo[key] = publicity_for(self.rules, decided, "penalty", severity, sector)
        return self._memo[key]


def record_table_rows(plan: Plan, maker: RecordMaker) -> Iterator[dict[str, list[tuple]]]:
    """Record, measure and history rows, record by record, ids 1..records."""
    for rid in range(1, plan.scale.records + 1):
        r = maker.record(rid)
        yield {"record": [tuple(r[c] for c in RECORD_COLUMNS)], "measure": [_measure(plan, r)],
               "history": [_history(r)]}


def _measure(plan: Plan, r: dict[str, Any]) -> tuple:
    rid = r["id"]
    if rid in plan.approved:  # case_id is set once the cases exist (foreign key)
        return (rid, rid, MEASURES[rid % 4], "", r["department_name"], "terminated",
                f"信用修复（案件 {plan.closed_case_of[rid]}）", None, r["created_at"] + timedelta(days=200))
    return (rid, rid, MEASURES[rid % 4], "", r["department_name"], "active", "", None, r["created_at"])


def _history(r: dict[str, Any]) -> tuple:
    after = {k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
             for k, v in r.items()
             if k not in ("id", "subject_code", "created_at", "updated_at", "created_by", "repaired_at")}
    return (r["id"], r["id"], None, r["created_at"], r["created_by"], "created", None, after)


def load_records(loader: Loader, plan: Plan, rules: RuleBook) -> None:
    load_groups(loader, record_table_rows(plan, RecordMaker(plan, rules)), {
        "record": (CreditRecord, RECORD_COLUMNS), "measure": (PunishmentMeasure, MEASURE_COLUMNS),
        "history": (RecordHistory, HISTORY_COLUMNS)})


def load_groups(loader: Loader, groups: Iterable[dict[str, list[tuple]]],
                tables: dict[str, tuple[Any, tuple[str, ...]]], batch: int = 50_000) -> None:
    """Rows generated together (a case with its task, events, ...) go in table by table per batch."""
    pending: dict[str, list[tuple]] = {key: [] for key in tables}
    for count, group in enumerate(groups, 1):
        for key, rows in group.items():
            pending[key].extend(rows)
        if count % batch == 0:
            _flush(loader, pending, tables)
    _flush(loader, pending, tables)


def _flush(loader: Loader, pending: dict[str, list[tuple]], tables) -> None:
    for key, (model, columns) in tables.items():
        if pending[key]:
            loader.load(model, columns, pending[key])
            pending[key].clear()


# -- closed cases --------------------------------------------------------------------------------

CASE_COLUMNS = ("id", "kind", "status", "outcome", "subject_code", "department_code", "title", "spec_set_id",
                "serializer_version", "workflow_json", "version", "next_timer_at", "received_at", "created_by",
                "created_at", "updated_at", "closed_at", "record_regimes")
TASK_COLUMNS = ("id", "case_id", "bpmn_id", "name", "lane", "department_code", "subject_code", "assignee",
                "due_at", "overdue", "state", "created_at", "completed_at", "completed_by", "case_kind",
                "case_received_at")
EVENT_COLUMNS = ("id", "case_id", "at", "actor", "kind", "task_id", "bpmn_id", "summary", "before", "after")
LINK_COLUMNS = ("case_id", "record_id")


def closed_case_times(plan: Plan, rid: int) -> tuple[random.Random, datetime, datetime]:
    """The closed case of record `rid`: its seeded generator (drawn on by the case's other
    values) and when it was received and closed."""
    rng = random.Random(f"closed-{rid}")
    received = plan.now - timedelta(days=rng.randint(15, 1000), hours=rng.randint(0, 8))
    return rng, received, received + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))


def closed_case_rows(plan: Plan, maker: RecordMaker) -> Iterator[dict[str, list[tuple]]]:
    event_id = 0
    for index, rid in enumerate(plan.closed_records):
        case_id, (rng, received, closed) = index + 1, closed_case_times(plan, rid)
        r = maker.record(rid)
        outcome = "approved" if rid in plan.approved else "rejected"
        reviewer, guid = rng.choice(REVIEWERS), str(uuid.UUID(int=rng.getrandbits(128), version=4))
        case = (case_id, "repair", "completed", outcome, r["subject_code"], r["department_code"],
                f"{r['subject_name']} 信用修复（{r['decision_no']}）", plan.spec_set_id, plan.serializer_version,
                "{}", 4, None, received, f"app-{r['subject_code']}", received, closed, closed,
                regimes_text([r["regime"]]))
        task = (guid, case_id, "review", "信用修复审核", "reviewer", r["department_code"], r["subject_code"],
                reviewer, received + timedelta(days=1), False, "completed", received, closed, reviewer, "repair",
                received)
        decision = {"approved": "approve", "rejected": "reject"}[outcome]
        events = []
        for kind, actor, summary, task_id, after in (
                ("case_started", "applicant", "发起案件", None,
                 {"data": {"record_ids": [rid], "reason": "已缴清罚款并完成整改", "rectification": "已整改"}}),
                ("eligibility_checked", "applicant", "符合受理条件", None, {"eligible": True}),
                ("accepted", "applicant", "受理", None, None),
                ("task_created", "applicant", "待办：信用修复审核", guid, {"lane": "reviewer"}),
                ("task_claimed", reviewer, f"认领任务“信用修复审核”：无 → {reviewer}", guid, {"assignee": reviewer}),
                ("task_completed", reviewer, "完成任务“信用修复审核”", guid, {"data": {"decision": decision}}),
                ("case_closed", reviewer, f"案件办结：{outcome}", None, {"outcome": outcome})):
            event_id += 1
            at = closed if kind in ("task_completed", "case_closed") else received
            events.append((event_id, case_id, at, actor, kind, task_id, "review" if task_id else None,
                           summary, None, after))
        yield {"case": [case], "task": [task], "event": events, "link": [(case_id, rid)]}


def load_closed_cases(loader: Loader, plan: Plan, rules: RuleBook) -> int:
    """Returns the last event id used."""
    load_groups(loader, closed_case_rows(plan, RecordMaker(plan, rules)), CASE_TABLES)
    started = perf_counter()
    with loader.engine.begin() as conn:
        conn.execute(text("UPDATE punishment_measure SET case_id = case_record.case_id FROM case_record "
                          "WHERE case_record.record_id = punishment_measure.record_id "
                          "AND punishment_measure.state = 'terminated'"))
    loader.seconds["punishment_measure.case_id"] = perf_counter() - started
    loader.rows["punishment_measure.case_id"] = len(plan.approved)
    return plan.scale.closed * 7


CASE_TABLES = {"case": (Case, CASE_COLUMNS), "task": (HumanTask, TASK_COLUMNS),
               "event": (CaseEvent, EVENT_COLUMNS), "link": (CaseRecord, LINK_COLUMNS)}


# -- open cases: clones of one real case -------------------------------------------------------

LETTER_COLUMNS = ("id", "case_id", "letter_type", "title", "number", "series", "year", "serial",
                  "verification_code", "subject_code", "subject_name", "issuer_name", "context", "sha256",
                  "pdf", "size", "issued_by", "issued_at", "supersedes_id")


@dataclass
class Template:
    case: Case
    task: HumanTask
    events: list[CaseEvent]
    letters: list[Letter]


def read_template(engine: Engine, case_id: int) -> Template:
    from sqlalchemy.orm import Session
    with Session(engine) as session:
        case = session.get(Case, case_id)
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
        events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))
        letters = list(session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.id)))
        session.expunge_all()
    return Template(case, task, events, letters)


def open_case_rows(plan: Plan, maker: RecordMaker, tpl: Template, first_case: int, last_event: int,
                   last_letter: int) -> Iterator[dict[str, list[tuple]]]:
    """Clones of the template for open records 2..n (the template is open case 1)."""
    event_id, letter_id = last_event, last_letter
    today = plan.now.astimezone(LOCAL_TZ).date()
    for index, rid in enumerate(plan.open_records[1:]):
        case_id, rng = first_case + index, random.Random(f"open-{rid}")
        r = maker.record(rid)
        offset = rng.choices((-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7), (3, 3, 4, 15, 20, 15, 12, 10, 8, 6, 4))[0]
        due = datetime.combine(today + timedelta(days=offset), time(23, 59, 59), LOCAL_TZ)
        received = due - timedelta(days=rng.randint(1, 3), hours=rng.randint(5, 14))
        overdue = offset < 0
        assignee = rng.choice(REVIEWERS) if rng.random() < 0.6 else None
        guid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        title = f"{r['subject_name']} 信用修复（{r['decision_no']}）"
        case = (case_id, "repair", "running", None, r["subject_code"], r["department_code"], title,
                tpl.case.spec_set_id, tpl.case.serializer_version,
                tpl.case.workflow_json.replace(tpl.task.id, guid), 2 if assignee else 1,
                None if overdue else due, received, f"app-{r['subject_code']}", received, received, None,
                regimes_text([r["regime"]]))
        task = (guid, case_id, "review", tpl.task.name, "reviewer", r["department_code"], r["subject_code"],
                assignee, due, overdue, "ready", received, None, None, "repair", received)
        letters, numbers = [], {}
        for letter in tpl.letters:
            letter_id += 1
            number = f"BENCH-{letter.letter_type}-{case_id}"
            numbers[letter.id] = (letter_id, number)
            letters.append((letter_id, case_id, letter.letter_type, letter.title, number,
                            f"bench:{letter.letter_type}", letter.year, case_id, f"BNCH-{case_id:08d}"[:14],
                            r["subject_code"], r["subject_name"], letter.issuer_name, letter.context,
                            letter.sha256, letter.pdf, letter.size, letter.issued_by, received, None))
        events = []
        for e in tpl.events:
            event_id += 1
            after = e.after
            if e.kind == "letter_issued" and after and after.get("letter_id") in numbers:
                new_id, number = numbers[after["letter_id"]]
                after = {**after, "letter_id": new_id, "number": number}
            task_id = guid if e.task_id == tpl.task.id else e.task_id
            events.append((event_id, case_id, received, e.actor, e.kind, task_id, e.bpmn_id, e.summary,
                           e.before, after))
        if assignee:
            event_id += 1
            events.append((event_id, case_id, received + timedelta(hours=1), assignee, "task_claimed", guid,
                           "review", f"认领任务“信用修复审核”：无 → {assignee}", {"assignee": None},
                           {"assignee": assignee}))
        if overdue:
            event_id += 1
            events.append((event_id, case_id, due, "system", "timer_fired", None, None, "定时事件“审核超期”到期",
                           None, {"timer": "审核超期", "due_at": due.isoformat()}))
        yield {"case": [case], "task": [task], "event": events, "link": [(case_id, rid)], "letter": letters}


def load_open_clones(loader: Loader, plan: Plan, rules: RuleBook, tpl: Template, first_case: int,
                     last_event: int, last_letter: int) -> None:
    rows = open_case_rows(plan, RecordMaker(plan, rules), tpl, first_case, last_event, last_letter)
    load_groups(loader, rows, {**CASE_TABLES, "letter": (Letter, LETTER_COLUMNS)}, batch=5_000)


def template_record(plan: Plan) -> int:
    """The open record the real (engine-filed) case is about."""
    return plan.open_records[0]
