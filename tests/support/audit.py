"""Audit log entries for the audit page's tests: two cases of two subjects and a non-case event."""
from __future__ import annotations

from datetime import datetime

from tests.support.subjects import COMPANY, OTHER
from workflows.core.models.cases import Case, CaseEvent, SpecSet
from workflows.people.subjects import register_subject

AT = datetime.fromisoformat("2026-08-01T09:00:00+08:00")
# (case: 0 = COMPANY's, 1 = OTHER's, None), actor, kind, local time, summary
EVENTS = (
    (0, "reviewer1", "task_completed", "2026-08-10T23:30:00+08:00", "完成任务“初审”"),
    (0, "reviewer1", "letter_issued", "2026-08-11T00:10:00+08:00", "出具受理通知书"),  # 2026-08-10 in UTC
    (1, "applicant2", "task_completed", "2026-08-12T09:00:00+08:00", "提交补正材料"),
    (None, "admin1", "calendar_override_set", "2026-08-13T09:00:00+08:00", "=1+2 <script>alert(1)</script>"),
)


def seed_audit(store) -> dict[str, object]:
    """Store EVENTS; returns {"cases": [id, id], "events": [id, id, id, id]} in EVENTS order."""
    with store.write() as uow:
        s = uow.session
        s.add(SpecSet(id="0" * 64, files={}, created_at=AT))
        register_subject(s, COMPANY, "泉州市清源食品有限公司", AT)
        register_subject(s, OTHER, "厦门海沧建材贸易有限公司", AT)
        s.flush()
        cases = [_case(code) for code in (COMPANY, OTHER)]
        s.add_all(cases)
        s.flush()
        events = [CaseEvent(case_id=cases[n].id if n is not None else None, actor=actor, kind=kind,
                            at=datetime.fromisoformat(at), summary=summary,
                            after={"note": "国庆调休"} if n is None else None)
                  for n, actor, kind, at, summary in EVENTS]
        s.add_all(events)
        uow.commit()
    return {"cases": [c.id for c in cases], "events": [e.id for e in events]}


def add_events(store, count: int, actor: str = "bulk1") -> list[int]:
    """`count` plain events by `actor`, oldest first."""
    with store.write() as uow:
        rows = [CaseEvent(case_id=None, actor=actor, kind="warning_scan", at=AT, summary=f"第{n}次")
                for n in range(count)]
        uow.session.add_all(rows)
        uow.commit()
    return [row.id for row in rows]


def _case(code: str) -> Case:
    return Case(kind="repair", status="running", subject_code=code, title="", spec_set_id="0" * 64,
                serializer_version="1.5", workflow_json="{}", received_at=AT, created_by="reviewer1",
                created_at=AT, updated_at=AT)
