"""Validation of the data a person submits with a user task.

Each case kind declares a validator per task (by BPMN id, see `registry.task_data`); tasks
without one still get the generic checks, because task data becomes script variables: a key that shadows a
helper function or is not an identifier would break the flow later, far from its cause.
"""
from __future__ import annotations

import json
from typing import Any

from workflows.core.errors import InvalidInput
from workflows.core.limits import LONG_TEXT, bounded_document
from workflows.engine.registry import Validator

RESERVED = frozenset({"received_at", "case_id", "subject_code", "department_code", "case_kind"})


def validate_task_data(validator: Validator | None, data: Any,
                       reserved_names: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("提交的数据格式不正确，应为对象", {"data": "应为 JSON 对象"})
    bad = {key: "字段名不合法" for key in data if not _plain_name(key) or key in reserved_names | RESERVED}
    if bad:
        raise InvalidInput("提交的数据包含不允许的字段", bad)
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        raise InvalidInput("提交的数据无法保存", {"data": "只能包含文本、数字、布尔值、列表和对象"}) from None
    bounded_document(data, "data", "提交的数据", LONG_TEXT)  # the kinds' validators bound each field tighter
    return validator(dict(data)) if validator else dict(data)


def _plain_name(key: Any) -> bool:
    return isinstance(key, str) and key.isidentifier() and not key.startswith("_")
