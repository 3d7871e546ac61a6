"""Input limits: the one place that says how big, how many and how far.

Every operation that takes text, a list, an id or a date checks it here, so the web forms,
the JSON API and the CSV/Excel imports refuse the same input for the same reason, before a
transaction starts. A refusal names the field in Chinese (API.md error shape). Text that
PostgreSQL cannot store (NUL) or that cannot be encoded at all (lone surrogates) is refused
like a length: found at the HTTP boundary for every request, and again here for imports and
the command line. docs/limits.md lists the maxima per operation.

Each checker takes `errors`: given, a problem is recorded there under `name` (and an empty
value returned) so a form can report every field at once; omitted, it raises InvalidInput.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from workflows.core.clock import LOCAL_TZ
from workflows.core.errors import InvalidInput

# -- sizes (characters) shared by many fields; docs/limits.md names the field of each ----------
CODE = 64          # codes, numbers, usernames
NAME = 100         # a person's name, a certificate number
TITLE = 200        # names of organisations, courses, a reason line
LINE = 300         # places, addresses, one measure
NOTE = 500         # notes, a commitment's matter
TEXT = 4000        # free text of a filing or a task form
LONG_TEXT = 20000  # a credit record's facts
QUERY = 200        # a search box
ITEMS = 50         # entries of a list field (materials, officers, supplement items)
MAX_RECORD_IDS = 100  # records named by one case
MAX_ID = 2 ** 63 - 1  # ids are 64-bit (PostgreSQL bigint)
MAX_JSON_DEPTH = 32   # nesting of a JSON body; the product's deepest is 4
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # dates and times accepted (Beijing time)
_SURROGATE = re.compile("[\ud800-\udfff]")


def unencodable(text: str) -> str | None:
    """Why `text` cannot be stored, in Chinese, or None when it can."""
    if "\x00" in text:
        return "含有空字符（\\u0000），无法保存"
    if _SURROGATE.search(text):
        return "含有无法编码的字符（不成对的代理字符）"
    return None


def text_field(value: Any, name: str, label: str, max_len: int, *, required: bool = False,
               errors: dict[str, str] | None = None) -> str:
    """The stripped text; None and "" are empty. Refused: not text, too long, unencodable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _refuse(name, f"请填写{label}", errors, "") if required else ""
    if not isinstance(value, str):
        return _refuse(name, f"{label}应为文字", errors, "")
    text = value.strip()
    problem = text_problem(text, label, max_len)
    return _refuse(name, problem, errors, "") if problem else text


def text_problem(text: str, label: str, max_len: int) -> str | None:
    """What is wrong with a text (for import rows, which report rather than raise), or None."""
    problem = unencodable(text)
    if problem is None and len(text) > max_len:
        problem = f"不能超过{max_len}个字（现为{len(text)}个）"
    return f"{label}{problem}" if problem else None


def search_text(value: Any, name: str = "q") -> str:
    """A search box's text: at most QUERY characters (a longer one cannot match any name or number)."""
    return text_field(value, name, "搜索内容", QUERY)


def text_list(value: Any, name: str, label: str, max_items: int = ITEMS, max_len: int = LINE, *,
              required: bool = False, errors: dict[str, str] | None = None) -> list[str]:
    """A list of short texts, blanks dropped; a single text is taken as a list of one."""
    if value is None or value == "":
        value = []
    elif isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return _refuse(name, f"{label}应为文字列表", errors, [])
    if len(value) > max_items:
        return _refuse(name, f"{label}最多{max_items}项（现为{len(value)}项）", errors, [])
    found: dict[str, str] = {}
    items = [text_field(item, name, label, max_len, errors=found) for item in value]
    if found:
        return _refuse(name, found[name], errors, [])
    items = [item for item in items if item]
    if required and not items:
        return _refuse(name, f"请填写{label}", errors, [])
    return items


def id_value(value: Any, name: str, label: str, *, errors: dict[str, str] | None = None) -> int | None:
    """A positive 64-bit id from a JSON number or a string of ASCII digits ("²" is not one)."""
    number = _id(value)
    if number is None:
        return _refuse(name, f"{label}应为1至{MAX_ID}之间的整数", errors, None)
    return number


def id_list(value: Any, name: str, label: str, max_items: int = MAX_RECORD_IDS, *,
            required: bool = True, errors: dict[str, str] | None = None) -> list[int]:
    """Sorted distinct ids; an empty list is refused when `required`."""
    if value is None or value == "":
        value = []
    if not isinstance(value, list):
        return _refuse(name, f"{label}应为编号列表", errors, [])
    if len(value) > max_items:
        return _refuse(name, f"{label}最多{max_items}项（现为{len(value)}项）", errors, [])
    ids = [_id(item) for item in value]
    if any(i is None for i in ids):
        return _refuse(name, f"{label}应为1至{MAX_ID}之间的整数", errors, [])
    if required and not ids:
        return _refuse(name, f"请选择{label}", errors, [])
    return sorted(set(ids))  # type: ignore[arg-type]


def choice(value: Any, name: str, label: str, allowed: Collection[str] | Mapping[str, str], *,
           errors: dict[str, str] | None = None) -> str | None:
    """One of `allowed` (keys; a mapping's values name them in the message); anything else,
    an object or a list included, is refused without being hashed."""
    if isinstance(value, str) and value in allowed:
        return value
    shown = "、".join(f"{key}（{allowed[key]}）" for key in allowed) if isinstance(allowed, Mapping) \
        else "、".join(allowed)
    return _refuse(name, f"请选择{label}：{shown}"[:LINE], errors, None)


def moment_field(value: Any, name: str, label: str, *, naive_local: bool = False,
                 errors: dict[str, str] | None = None) -> datetime | None:
    """An ISO 8601 date-time with its offset (or, with `naive_local`, Beijing time without
    one), between FIRST_DAY and LAST_DAY, so that no later conversion can overflow."""
    example = "2026-10-12T09:30:00+08:00"
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip() and len(value) <= CODE:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return _refuse(name, f"{label}格式应为 {example}", errors, None)
    else:
        return _refuse(name, f"请填写{label}，格式如 {example}", errors, None)
    if moment.tzinfo is None:
        if not naive_local:
            return _refuse(name, f"{label}须带时区，例如 +08:00", errors, None)
        moment = moment.replace(tzinfo=LOCAL_TZ)
    if not FIRST_DAY <= _local_day(moment) <= LAST_DAY:
        return _refuse(name, f"{label}应在{FIRST_DAY.year}年至{LAST_DAY.year}年之间", errors, None)
    return moment


def day_field(value: Any, name: str, label: str, *, errors: dict[str, str] | None = None) -> date | None:
    """An ISO date (2026-12-31) between FIRST_DAY and LAST_DAY; None and "" are no date."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        try:
            day = date.fromisoformat(value.strip()) if isinstance(value, str) and len(value) <= CODE else None
        except ValueError:
            day = None
        if day is None:
            return _refuse(name, f"日期格式应为 2026-12-31（{label}）", errors, None)
    return day_in_window(day, name, label, errors=errors)


def day_in_window(day: date, name: str, label: str, *, errors: dict[str, str] | None = None) -> date | None:
    if not FIRST_DAY <= day <= LAST_DAY:
        return _refuse(name, f"{label}应在{FIRST_DAY.year}年至{LAST_DAY.year}年之间", errors, None)
    return day


def bounded_document(value: Any, name: str, label: str, max_text: int = TEXT,
                     max_items: int = MAX_RECORD_IDS) -> None:
    """Caller-supplied data kept whole (a letter's context, its corrections): every text at most
    `max_text` characters and storable, every list or object at most `max_items` entries."""
    problem = _document_problem(value, max_text, max_items, 0)
    if problem is not None:
        raise InvalidInput(f"{label}不正确：{problem}", {name: problem})


def _document_problem(value: Any, max_text: int, max_items: int, depth: int) -> str | None:
    if depth > MAX_JSON_DEPTH:
        return f"嵌套超过{MAX_JSON_DEPTH}层"
    if isinstance(value, str):
        return text_problem(value, "文字", max_text)
    if isinstance(value, dict | list):
        if len(value) > max_items:
            return f"每个列表或对象最多{max_items}项"
        children = list(value.keys()) + list(value.values()) if isinstance(value, dict) else value
        return next((p for child in children if (p := _document_problem(child, max_text, max_items, depth + 1))),
                    None)
    return None


def storable(value: Any) -> None:
    """Refuse a decoded JSON body nested deeper than MAX_JSON_DEPTH or holding unencodable
    text anywhere (keys too); the field named is the path to it, e.g. `form.reason`."""
    found = _first_problem(value, "", 0)
    if found is not None:
        path, problem = found
        raise InvalidInput(f"请求内容不正确：{path} {problem}", {path: problem})


def _first_problem(value: Any, path: str, depth: int) -> tuple[str, str] | None:
    if depth > MAX_JSON_DEPTH:
        return "body", f"嵌套超过{MAX_JSON_DEPTH}层"
    if isinstance(value, str):
        problem = unencodable(value)
        return (path or "body", problem) if problem else None
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        if isinstance(key, str) and (problem := unencodable(key)):
            return path or "body", f"字段名{problem}"
        inner = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        found = _first_problem(child, inner, depth + 1)
        if found is not None:
            return found
    return None


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def _local_day(moment: datetime) -> date:
    """The day in the moment's own offset: within a day of Beijing's, and never an overflow
    (converting year 1 or 9999 to Beijing time raises)."""
    return moment.date()


def _refuse(name: str, message: str, errors: dict[str, str] | None, empty: Any) -> Any:
    if errors is None:
        raise InvalidInput(message, {name: message})
    errors.setdefault(name, message)
    return empty
