"""Issuer settings per letter type: configuration, never template literals.

Office names, number prefixes and contact details differ per city and change with
reorganisations, so they live in a JSON file: ``issuers.json`` beside this module is the
shipped default, and ``$CREDIT_CASES_LETTERS_CONFIG`` names a replacement file. Departments'
own issuer details are data (the caller passes them in a context's ``issuer``); this file is
the credit office's default and what a department without details falls back to.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

CONFIG_ENV = "CREDIT_CASES_LETTERS_CONFIG"
DEFAULT_CONFIG = Path(__file__).with_name("issuers.json")
REQUIRED_ISSUER_KEYS = ("name", "number_prefix")


def config_path() -> Path:
    """The issuer file in force: the environment override, else the shipped default."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    return Path(override) if override else DEFAULT_CONFIG


def load_config(path: Path | None = None) -> dict[str, Any]:
    """Parsed issuer configuration; re-read only when the file changes."""
    path = path or config_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise ValueError(f"文书签发机关配置文件不存在：{path}") from exc
    return _load(str(path), stamp)


@lru_cache(maxsize=8)
def _load(path: str, _stamp: int) -> dict[str, Any]:
    config = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(config.get("default"), dict):
        raise ValueError(f"{path}: 缺少 default 签发机关配置")
    if not isinstance(config.get("types", {}), dict):
        raise ValueError(f"{path}: types 必须是对象")
    return config


def issuer_for(letter_type: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Default issuer of a letter type: the ``default`` block overlaid by the type's block."""
    config = config or load_config()
    issuer = {**config["default"], **config.get("types", {}).get(letter_type, {})}
    missing = [key for key in REQUIRED_ISSUER_KEYS if key not in issuer]
    if missing:
        raise ValueError(f"签发机关配置缺少：{', '.join('issuer.' + k for k in missing)}")
    return issuer


def credit_office_code(config: dict[str, Any] | None = None) -> str:
    """Code of the department row that stands for the credit office (``credit_office_department``),
    or "" when the configured ``default`` block is the credit office's only description."""
    config = config or load_config()
    return str(config.get("credit_office_department") or "").strip().upper()


def verify_url(code: str, config: dict[str, Any] | None = None) -> str:
    """Public verification address for a code, from the configured base URL."""
    config = config or load_config()
    return config.get("verify_base_url", "") + code.replace("-", "")


def format_number(prefix: str, year: int, n: int) -> str:
    """发文字号: prefix, the full year in 〔〕, the serial without leading zeros.

    >>> format_number("泉信用修", 2026, 12)
    '泉信用修〔2026〕12号'
    """
    if not 1000 <= int(year) <= 9999:
        raise ValueError(f"year must have four digits: {year!r}")
    if int(n) < 1:
        raise ValueError(f"serial must be positive: {n!r}")
    return f"{prefix}〔{int(year)}〕{int(n)}号"
