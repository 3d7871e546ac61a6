"""The credit-records service: create, read, check and change records (never destroy them).

Plain functions over a SQLAlchemy Session, taking the acting user's name and `now`; none
commits. Rules (regime, publicity periods) come from the DMN tables via `RuleBook`.
"""
from __future__ import annotations

from .access import may_read_subject, readable_record, scoped_to_department
from .case_regimes import link_records
from .documents import (
    RecordFilter,
    check_subject,
    full_record_document,
    list_records,
    measure_document,
    record_document,
    subject_document,
)
from .history import get_record, lock_record, record_history, record_measures
from .publicity import Publicity, add_months, publicity_for, regime_for, status_for
from .service import amend_record, create_record, earliest_repair_date
from .states import (
    expire_due_records,
    mark_repaired,
    reopen_publicity,
    resume_record,
    revoke_record,
    stop_publicity,
    suspend_record,
    terminate_measures,
)
from .validation import KIND_NAMES, PUBLIC_KINDS, SECTOR_NAMES, SEVERITIES, SEVERITY_NAMES, SYSTEM_KINDS

__all__ = [
    "KIND_NAMES", "PUBLIC_KINDS", "SECTOR_NAMES", "SEVERITIES", "SEVERITY_NAMES", "SYSTEM_KINDS",
    "Publicity", "RecordFilter", "add_months", "amend_record", "check_subject", "create_record",
    "earliest_repair_date", "expire_due_records", "full_record_document", "get_record", "link_records", "list_records",
    "lock_record", "mark_repaired", "measure_document", "reopen_publicity", "publicity_for", "record_document",
    "record_history", "record_measures", "regime_for", "resume_record", "revoke_record", "status_for",
    "stop_publicity", "subject_document", "suspend_record", "terminate_measures", "may_read_subject", "readable_record",
    "scoped_to_department",
]
