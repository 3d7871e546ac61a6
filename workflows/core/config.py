"""Settings read from the environment, with the embedded defaults (SQLite under ./var/)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BPMN_DIR = PROJECT_ROOT / "bpmn"
# Local department codes such as QZ-SCJG (city, organ); organs with a USCC (11…) always pass.
DEFAULT_DEPARTMENT_CODE_PATTERN = r"[A-Z]{2,8}(-[A-Z0-9]{2,12}){1,3}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    bpmn_dir: Path = DEFAULT_BPMN_DIR
    secret_key: str = "dev-only-change-me"
    office_close: str | None = None  # "17:30" makes deadlines end at close of business
    sweep_seconds: int = 30
    token_hours: int = 12
    public_url: str = "http://127.0.0.1:5000"  # printed in letters' verification QR codes
    department_code_pattern: str = DEFAULT_DEPARTMENT_CODE_PATTERN
    secure_cookies: bool = False  # served over HTTPS: cookies carry `Secure`, URLs say https
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto we believe
    extra: dict[str, str] = field(default_factory=dict)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'credit-cases.sqlite3').resolve()}"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("CREDIT_CASES_DATA_DIR", "./var"))
    public_url = env.get("CREDIT_CASES_PUBLIC_URL", "http://127.0.0.1:5000")
    return Settings(
        data_dir=data_dir,
        database_url=env.get("CREDIT_CASES_DATABASE_URL") or sqlite_url(data_dir),
        bpmn_dir=Path(env.get("CREDIT_CASES_BPMN_DIR", str(DEFAULT_BPMN_DIR))),
        secret_key=env.get("SECRET_KEY", "dev-only-change-me"),
        office_close=env.get("CREDIT_CASES_OFFICE_CLOSE") or None,
        sweep_seconds=int(env.get("CREDIT_CASES_SWEEP_SECONDS", "30")),
        token_hours=int(env.get("CREDIT_CASES_TOKEN_HOURS", "12")),
        public_url=public_url,
        secure_cookies=_flag(env.get("CREDIT_CASES_SECURE_COOKIES"), public_url.startswith("https://")),
        trusted_proxies=int(env.get("CREDIT_CASES_TRUSTED_PROXIES", "0")),
        department_code_pattern=env.get("CREDIT_CASES_DEPARTMENT_CODE_PATTERN") or DEFAULT_DEPARTMENT_CODE_PATTERN,
    )


def _flag(value: str | None, default: bool) -> bool:
    """'1'/'true'/'yes'/'on' and '0'/'false'/'no'/'off'; unset or empty: the default."""
    if not value:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
