"""Checking a credit record's fields (API.md `POST /records`), with Chinese messages per field.

One checker serves the API, the staff form and the bulk import, so a row refused by the
import is refused for the same reason as the same data posted to the API. It collects
every problem instead of stopping at the first, and never touches the database.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import USCC_ALPHABET, validate_subject_code
from workflows.core.limits import text_problem

PUBLIC_KINDS = ("penalty", "serious_list", "key_attention", "breach")
SYSTEM_KINDS = ("interview_record", "commitment")  # written by the flows, not by callers
KIND_NAMES = {"penalty": "行政处罚", "serious_list": "严重失信主体名单", "key_attention": "重点关注名单",
              "breach": "违诺记录", "interview_record": "约谈记录", "commitment": "信用承诺"}
SEVERITIES = ("minor", "general", "serious")
SEVERITY_NAMES = {"minor": "轻微", "general": "一般", "serious": "严重"}
# Sectors named by the publicity rules (Order 58: 特种设备/安全生产/消防); others are free keys.
SECTOR_NAMES = {"special_equipment": "特种设备", "work_safety": "安全生产", "fire": "消防",
                "food": "食品", "drugs": "药品", "environment": "生态环境"}
# Categories of misconduct the repairability rule (DMN record_repairability) judges (DOMAIN.md §B).
MISCONDUCT_NAMES = {"licence_revoked": "吊销许可证照", "telecom_fraud": "电信网络诈骗",
                    "illegal_fundraising": "非法集资"}
SECTOR_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_MEASURES = 20
MAX_FINE = Decimal("99999999999999.99")  # Numeric(16, 2)
_CLEAN_USCC = re.compile(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}")
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# field -> (Chinese label, max length); text fields required unless listed in OPTIONAL_TEXT
TEXT_FIELDS = {
    "subject_name": ("主体名称", 200), "decision_no": ("决定书文号", 100),
    "department_code": ("认定部门代码", 32), "department_name": ("认定部门名称", 200),
    "facts": ("失信行为事实", 20000), "basis": ("认定依据", 4000), "content": ("处理内容", 4000),
    "category": ("处罚类别", 100),
}
OPTIONAL_TEXT = ("subject_name", "category")
MEASURE_FIELDS = {"name": ("措施名称", 300), "basis": ("措施依据", 500),
                  "implementing_department": ("实施部门", 200)}


def clean_record(data: Any, *, today: date, kinds: tuple[str, ...] = PUBLIC_KINDS,
                 lenient_text: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """(clean values, {field: Chinese message}); the values are only usable without errors.

    `lenient_text` makes facts/basis/content optional (records the system writes itself).
    """
    if not isinstance(data, dict):
        return {}, {"_": "记录内容应为对象"}
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    _code(data.get("subject_code"), clean, errors)
    _texts(data, clean, errors, lenient_text)
    _choice(data.get("kind"), "kind", kinds, KIND_NAMES, "信息类别", clean, errors)
    _choice(data.get("severity"), "severity", SEVERITIES, SEVERITY_NAMES, "严重程度", clean, errors)
    _decision_date(data.get("decision_date"), today, clean, errors)
    _sector(data.get("sector"), clean, errors)
    _misconduct(data.get("misconduct_category"), clean, errors)
    _fine(data.get("fine_amount"), clean, errors)
    _flag(data.get("non_repairable"), clean, errors)
    clean["measures"] = clean_measures(data.get("measures"), errors)
    return clean, errors


def checked_record(data: Any, *, today: date, kinds: tuple[str, ...] = PUBLIC_KINDS,
                   lenient_text: bool = False) -> dict[str, Any]:
    """Clean values, or InvalidInput listing every bad field."""
    clean, errors = clean_record(data, today=today, kinds=kinds, lenient_text=lenient_text)
    if errors:
        raise InvalidInput("信用记录信息不完整或不正确", errors)
    return clean


def clean_measures(value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors["measures"] = "惩戒措施应为列表"
        return []
    if len(value) > MAX_MEASURES:
        errors["measures"] = f"惩戒措施最多{MAX_MEASURES}项"
        return []
    measures = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            errors[f"measures[{index}]"] = "每项惩戒措施应为对象"
            continue
        measures.append(_measure(item, index, errors))
    return measures


def _measure(item: dict[str, Any], index: int, errors: dict[str, str]) -> dict[str, str]:
    measure = {}
    for key, (label, limit) in MEASURE_FIELDS.items():
        text, problem = _text(item.get(key), label, limit, required=key == "name")
        if problem:
            errors[f"measures[{index}].{key}"] = problem
        measure[key] = text
    return measure


def _text(value: Any, label: str, limit: int, required: bool) -> tuple[str, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", f"请填写{label}" if required else None
    if not isinstance(value, str):
        return "", f"{label}应为文本"
    text = value.strip()
    return text, text_problem(text, label, limit)


def _texts(data: dict[str, Any], clean: dict[str, Any], errors: dict[str, str], lenient: bool) -> None:
    for key, (label, limit) in TEXT_FIELDS.items():
        optional = key in OPTIONAL_TEXT or (lenient and key in ("facts", "basis", "content"))
        text, problem = _text(data.get(key), label, limit, required=not optional)
        if problem:
            errors[key] = problem
        clean[key] = text


def _code(value: Any, clean: dict[str, Any], errors: dict[str, str]) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["subject_code"] = "请填写统一社会信用代码或公民身份号码"
        return
    try:
        clean["subject_category"], clean["subject_code"] = subject_code(value)
    except InvalidInput as err:
        errors["subject_code"] = err.message


def subject_code(value: Any) -> tuple[str, str]:
    """`validate_subject_code`, with a fast path for the common case of a bulk import: a
    clean USCC containing a letter (so it cannot be an ID number) whose check char fits."""
    if isinstance(value, str) and _CLEAN_USCC.fullmatch(value) and not value[:17].isdigit():
        total = sum(_USCC_VALUE[c] * w for c, w in zip(value, _USCC_WEIGHTS))
        if value[17] == USCC_ALPHABET[(31 - total % 31) % 31]:
            return "legal_person", value
    return validate_subject_code(value)


def _choice(value: Any, key: str, allowed: tuple[str, ...], names: dict[str, str], label: str,
            clean: dict[str, Any], errors: dict[str, str]) -> None:
    if value is None or value == "":
        errors[key] = f"请选择{label}"
    elif value not in allowed:
        shown = "、".join(f"{k}（{names[k]}）" for k in allowed)
        errors[key] = f"{label}“{str(value)[:40]}”不正确，应为：{shown}"
    else:
        clean[key] = value


def _decision_date(value: Any, today: date, clean: dict[str, Any], errors: dict[str, str]) -> None:
    day = parse_date(value)
    if value is None or value == "":
        errors["decision_date"] = "请填写决定日期"
    elif day is None:
        errors["decision_date"] = "决定日期格式不正确，应为 2026-09-30 的形式"
    elif day > today:
        errors["decision_date"] = f"决定日期不能晚于今天（{today.isoformat()}）"
    elif day.year < 1990:
        errors["decision_date"] = "决定日期不应早于1990年"
    else:
        clean["decision_date"] = day


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        return date(*parts)
    except ValueError:
        return None


def _misconduct(value: Any, clean: dict[str, Any], errors: dict[str, str]) -> None:
    """Optional: one of MISCONDUCT_NAMES (its key or its Chinese name), "" for none."""
    if value in (None, ""):
        clean["misconduct_category"] = ""
        return
    by_name = {name: key for key, name in MISCONDUCT_NAMES.items()}
    key = by_name.get(value, value) if isinstance(value, str) else None
    if key in MISCONDUCT_NAMES:
        clean["misconduct_category"] = key
    else:
        errors["misconduct_category"] = "失信行为类别应为：" + "、".join(f"{k}（{n}）" for k, n in MISCONDUCT_NAMES.items())


def _sector(value: Any, clean: dict[str, Any], errors: dict[str, str]) -> None:
    if value in (None, ""):
        clean["sector"] = ""
    elif not isinstance(value, str) or not SECTOR_KEY.fullmatch(value):
        errors["sector"] = "行业领域应为英文小写代码，如 special_equipment、work_safety、fire"
    else:
        clean["sector"] = value


def _fine(value: Any, clean: dict[str, Any], errors: dict[str, str]) -> None:
    clean["fine_amount"] = None
    if value is None or value == "":
        return
    amount = to_decimal(value)
    if amount is None:
        errors["fine_amount"] = "罚款金额应为数字"
    elif amount < 0:
        errors["fine_amount"] = "罚款金额不能为负数"
    elif amount > MAX_FINE:
        errors["fine_amount"] = "罚款金额过大"
    elif amount != amount.quantize(Decimal("0.01")):
        errors["fine_amount"] = "罚款金额最多保留两位小数（单位：元）"
    else:
        clean["fine_amount"] = amount.quantize(Decimal("0.01"))


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _flag(value: Any, clean: dict[str, Any], errors: dict[str, str]) -> None:
    if value in (None, ""):
        clean["non_repairable"] = False
    elif isinstance(value, bool):
        clean["non_repairable"] = value
    else:
        errors["non_repairable"] = "“不可修复”应为 true 或 false"
