"""Rows written with plain SQL at an old revision, for the tests of a migration's back-fill (the
models describe the newest schema, so they cannot write the old one)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

SUBJECT = "91350100M000100Y43"
RECORD = ("INSERT INTO credit_record (id, subject_code, subject_name, kind, severity, category, sector, "
          "non_repairable, decision_no, decision_date, department_code, department_name, facts, basis, content, regime, "
          "publicity_status, publicity_start, publicity_min_end, publicity_max_end, source, created_by, created_at, "
          "updated_at) VALUES (:id, :code, '泉州市清源食品有限公司', 'penalty', 'general', '罚款', '', :non_repairable, "
          ":no, '2025-01-10', :dept, '泉州市市场监督管理局', '', '', '', :regime, 'public', '2025-01-10', '2025-04-10', "
          ":max_end, 'api', 'dept1', :now, :now)")
CASE = ("INSERT INTO case_instance (id, kind, status, outcome, subject_code, department_code, title, spec_set_id, "
        "serializer_version, workflow_json, version, received_at, created_by, created_at, updated_at, closed_at) "
        "VALUES (:id, :kind, :status, :outcome, :code, 'QZ-SCJG', 't', 'spec', '1', '{}', 1, :received, 'applicant1', "
        ":received, :received, :closed)")


def seed_subject_and_spec(conn: Connection, now: datetime) -> None:
    """The subject every seeded record and case is about, and the spec set the cases name."""
    conn.execute(text("INSERT INTO subject (code, name, category, created_at) "
                      "VALUES (:code, '泉州市清源食品有限公司', 'legal_person', :now)"), {"code": SUBJECT, "now": now})
    conn.execute(text("INSERT INTO spec_set (id, files, created_at) VALUES ('spec', '{}', :now)"), {"now": now})
