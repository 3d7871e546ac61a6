"""Validation of letter contexts against the schema in meta.json.

A context is data, never objects: only primitives pass, so a template cannot call methods
on caller objects and a ``Markup`` string cannot smuggle HTML past autoescaping. Optional
fields the caller left out are set to ``None`` so templates can test them plainly while
``StrictUndefined`` still catches names the schema does not declare.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Iterator

from . import catalog
from .catalog import FieldSpec
from .errors import LetterContextError

PRIMITIVES = (str, int, float, bool, type(None))
RESERVED = "letter"  # the renderer's own variables (title, labels, forms of address)
_MISSING = object()
_KIND_LABELS = {
    "date": "日期（YYYY-MM-DD）", "datetime": "日期时间（ISO 8601，含时区）",
    "int": "整数", "bool": "是/否（true/false）", "list": "列表", "dict": "对象",
}


def validate_context(letter_type: str, context: Any) -> dict[str, Any]:
    """Check ``context`` for ``letter_type``; return a normalised copy ready to render.

    Raises LetterContextError naming every missing or malformed field (key and Chinese
    description), e.g. ``缺少字段：subject.name（当事人名称）``.
    """
    spec = catalog.get(letter_type)
    if type(context) is not dict:
        raise LetterContextError("文书数据必须是对象（context must be a dict）")
    check_primitives(context)
    if RESERVED in context:
        raise LetterContextError(f"字段 {RESERVED} 由渲染器生成，不能在文书数据中提供（reserved key）",
                                 {RESERVED: "保留字段"})
    data = copy.deepcopy(context)
    missing, malformed = {}, {}
    for field in spec.fields:
        for path, value in _values(data, field.path):
            if _is_blank(value):
                if field.required or _required_now(field, data):
                    missing[path] = field.label
            elif (problem := _type_problem(field, value)) is not None:
                malformed[path] = f"{field.label}：{problem}"
    if missing or malformed:
        raise LetterContextError(_message(missing, malformed), {**missing, **malformed})
    for field in spec.fields:
        _fill(data, field.path.split("."))
    return data


def check_primitives(value: Any, path: str = "") -> None:
    """Reject anything but str/int/float/bool/None and lists/dicts of them (exact types)."""
    kind = type(value)
    if kind in PRIMITIVES:
        return
    if kind is list:
        for index, item in enumerate(value):
            check_primitives(item, f"{path}[{index}]")
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise LetterContextError(f"字段名必须是字符串：{path or '(根)'} 下的 {key!r}")
            check_primitives(item, f"{path}.{key}" if path else key)
        return
    raise LetterContextError(
        f"字段 {path or '(根)'} 的值类型为 {kind.__name__}，只接受 str/int/float/bool/None/list/dict"
        f"（non-primitive context value）", {path: f"不支持的类型 {kind.__name__}"})


def _values(data: Any, dotted: str) -> Iterator[tuple[str, Any]]:
    """Concrete (path, value) pairs for a schema path; ``[]`` fans out over list items."""
    yield from _walk(data, dotted.split("."), "")


def _walk(data: Any, parts: list[str], prefix: str) -> Iterator[tuple[str, Any]]:
    head, rest = parts[0], parts[1:]
    key = head.removesuffix("[]")
    here = f"{prefix}.{key}" if prefix else key
    value = data.get(key, _MISSING) if isinstance(data, dict) else _MISSING
    if head.endswith("[]"):
        # Item fields apply to the items present; a missing list is its own field's concern.
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from _walk(item, rest, f"{here}[{index}]")
    elif not rest:
        yield here, value
    elif value is _MISSING or value is None:
        yield ".".join([here, *rest]), _MISSING
    else:
        yield from _walk(value, rest, here)


def _is_blank(value: Any) -> bool:
    return value is _MISSING or value is None or value == [] or (
        isinstance(value, str) and not value.strip())


def _required_now(field: FieldSpec, data: dict[str, Any]) -> bool:
    """Conditionally required fields, e.g. ``corrections`` when ``outcome`` is ``correct``."""
    return any(value in allowed for key, allowed in field.required_when.items()
               for _, value in _values(data, key))


def _type_problem(field: FieldSpec, value: Any) -> str | None:
    kind = field.kind
    if field.values:
        items = value if kind == "list" and isinstance(value, list) else [value]
        bad = [item for item in items if item not in field.values]
        if bad:
            return f"取值 {bad[0]!r} 无效，可选：{'、'.join(field.values)}"
    ok = {
        "text": lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
        "date": _parses(dt.date.fromisoformat),
        "datetime": _parses(_aware_datetime),
        "int": lambda v: type(v) is int,
        "bool": lambda v: type(v) is bool,
        "list": lambda v: type(v) is list,
        "dict": lambda v: type(v) is dict,
    }[kind](value)
    return None if ok else f"应为{_KIND_LABELS.get(kind, '文本')}"


def _aware_datetime(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment


def _parses(parse: Any) -> Any:
    def check(value: Any) -> bool:
        try:
            parse(value)
        except (TypeError, ValueError):
            return False
        return True
    return check


def _fill(data: Any, parts: list[str]) -> None:
    """Set absent optional fields to None (creating parent objects), so templates may test them."""
    if not isinstance(data, dict):
        return
    head, rest = parts[0], parts[1:]
    key = head.removesuffix("[]")
    if head.endswith("[]"):
        data.setdefault(key, None)
        for item in data[key] or []:
            _fill(item, rest)
    elif not rest:
        data.setdefault(key, None)
    else:
        if data.get(key) is None:
            data[key] = {}
        _fill(data[key], rest)


def _message(missing: dict[str, str], malformed: dict[str, str]) -> str:
    parts = []
    if missing:
        parts.append("缺少字段：" + "；".join(f"{k}（{v}）" for k, v in missing.items()))
    if malformed:
        parts.append("字段格式错误：" + "；".join(f"{k}（{v}）" for k, v in malformed.items()))
    return "。".join(parts)
