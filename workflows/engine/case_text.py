"""Which cases a search text names: by number, subject code, subject name or record number.

Shared by the case search (workflows/search) and the task lists (`InboxFilter.text`), so a
reviewer finds the same cases in both.
"""
from __future__ import annotations

import re

from sqlalchemy import CompoundSelect, select, union

from workflows.core.models.cases import Case
from workflows.core.models.people import Subject
from workflows.core.models.records import CaseRecord, CreditRecord

_CASE_NUMBER = re.compile(r"#?(\d{1,18})")
_CODE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{18}|\d{15}|\d{17}[\dX]")  # USCC (GB 32100), ID numbers


def matching_case_ids(text: str) -> CompoundSelect:
    """Ids of the cases whose number, subject code, subject name or a record's decision number matches.

    `#123` is a case number only, a whole USCC or ID number a subject code only; other text
    is looked for in the subject names and the records' decision numbers (and, when it is a
    number, taken as a case number too). Each branch of the union reads its own index (the
    case key, the cases' subject code, the trigram indexes of names and numbers on
    PostgreSQL), so the cases table itself is never scanned for a text search.
    """
    code, number = text.upper(), _CASE_NUMBER.fullmatch(text)
    if text.startswith("#") and number:
        return union(select(Case.id).where(Case.id == _case_number(number.group(1))))
    if _CODE.fullmatch(code):
        return union(select(Case.id).where(Case.subject_code == code))
    like = f"%{_escape_like(text)}%"
    branches = [select(Case.id).where(Case.subject_code.in_(select(Subject.code).where(Subject.name.like(like, escape="\\")))),
                select(CaseRecord.case_id).join(CreditRecord, CreditRecord.id == CaseRecord.record_id)
                .where(CreditRecord.decision_no.like(like, escape="\\"))]
    if number:
        branches.append(select(Case.id).where(Case.id == _case_number(number.group(1))))
    return union(*branches)


def _case_number(digits: str) -> int:
    number = int(digits)
    return number if number < 2 ** 63 else 0


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
