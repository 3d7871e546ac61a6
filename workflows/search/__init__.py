"""Search across cases and their open tasks (issue 17): by case number, subject name or code,
record number; filters by kind, department and state; personal saved filters.

Computed in SQL over the case row, the subject and record tables and the `human_task`
projection; no workflow is ever loaded to draw a result list.
"""
from __future__ import annotations

from .cases import KINDS, SORTS, STATES, CaseSearch, CaseSearchPage, export_cases, matching_case_ids, search_cases
from .saved import delete_filter, save_filter, saved_filters

__all__ = ["KINDS", "SORTS", "STATES", "CaseSearch", "CaseSearchPage", "delete_filter", "export_cases",
           "matching_case_ids", "save_filter", "saved_filters", "search_cases"]
