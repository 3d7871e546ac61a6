"""Settings read from the environment, with the embedded defaults (SQLite under ./var/)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BPMN_DIR = PROJECT_ROOT / "bpmn"
# Local department codes such as QZ-SCJG (city, organ); organs with a USCC (11…) always pass.
DEFAULT_DEPARTMENT_CODE_PATTERN = r"[A-Z]{2,8}(-[A-Z0-9]{2,12}){1,3}"
# Staff roles the identity provider may grant unless configured otherwise: never `admin`, never a
# system client's `integration` (an office adds those only on purpose, CREDIT_CASES_OIDC_ALLOWED_ROLES).
DEFAULT_IDP_ROLES = frozenset({"reviewer", "supervisor", "department", "auditor"})


@dataclass(frozen=True)
class ClaimMapping:
    """Which claim of the identity provider carries what; an empty name leaves that field to this system."""

    username: str = "preferred_username"  # falls back to `sub` when the claim is absent
    name: str = "name"
    subject_code: str = "uscc"  # the USCC or ID number an applicant acts for
    subject_name: str = "subject_name"
    roles: str = "roles"  # a list, or a string separated by spaces or commas
    department: str = "department"  # a department code registered here
    allowed_roles: frozenset[str] = DEFAULT_IDP_ROLES


@dataclass(frozen=True)
class OidcSettings:
    """Single sign-on through an OpenID Connect provider (the province's 统一身份认证 platform)."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid profile"
    label: str = "统一身份认证登录"  # the button on the login page
    claims: ClaimMapping = field(default_factory=ClaimMapping)

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server notifications are sent through (CREDIT_CASES_SMTP_*); None: no e-mail."""

    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    sender: str = "noreply@localhost"
    starttls: bool = False  # upgrade the plain connection (port 587)
    ssl: bool = False  # implicit TLS from the first byte (port 465)
    timeout: float = 10.0


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
    oidc: OidcSettings | None = None  # None: no single sign-on button
    password_signin_disabled_roles: frozenset[str] = frozenset()  # these roles sign in through SSO only
    # who renders letters after their step's commit: "process" (worker processes of this one),
    # "pool" (threads of this process), "celery"
    # (tasks on the broker) or "off" (only the sweeps: tick, serve, Celery beat)
    letter_workers: str = "process"
    letter_threads: int = 1  # worker threads (pool) or processes (process)
    workflow_cache: int = 64  # live workflows of recently advanced cases kept in memory (0: none)
    render_delay_seconds: float = 0.0  # tests only: each letter worker waits this long first
    # root CA certificates (PEM) a letter's signature must chain to; none: <data_dir>/certificates/root-ca.pem
    trust_roots: tuple[Path, ...] = ()
    mail: MailSettings | None = None  # None: notifications stay in-app (and SMS, if a gateway is set)
    sms_gateway: str = ""  # "" off, "log" (development), or "package.module:factory" (docs/notifications.md)
    extra: dict[str, str] = field(default_factory=dict)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0", ""})


def is_loopback_url(url: str) -> bool:
    """Whether letters would print an address only this machine can open (the default)."""
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


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
        oidc=load_oidc(env),
        password_signin_disabled_roles=_names(env.get("CREDIT_CASES_PASSWORD_SIGNIN_DISABLED_ROLES")),
        letter_workers=(env.get("CREDIT_CASES_LETTER_WORKERS") or "process").strip().lower(),
        letter_threads=int(env.get("CREDIT_CASES_LETTER_THREADS", "1")),
        workflow_cache=int(env.get("CREDIT_CASES_WORKFLOW_CACHE", "64")),
        render_delay_seconds=float(env.get("CREDIT_CASES_TEST_RENDER_DELAY", "0")),
        trust_roots=tuple(Path(p) for p in (env.get("CREDIT_CASES_TRUST_ROOTS") or "").split(os.pathsep) if p),
        mail=load_mail(env),
        sms_gateway=(env.get("CREDIT_CASES_SMS_GATEWAY") or "").strip(),
    )


def load_mail(env: dict[str, str]) -> MailSettings | None:
    """E-mail is on when an SMTP host is set; STARTTLS defaults on for port 587, TLS for 465."""
    host = (env.get("CREDIT_CASES_SMTP_HOST") or "").strip()
    if not host:
        return None
    port = int(env.get("CREDIT_CASES_SMTP_PORT") or "25")
    return MailSettings(host=host, port=port, username=env.get("CREDIT_CASES_SMTP_USER") or "",
                        password=env.get("CREDIT_CASES_SMTP_PASSWORD") or "",
                        sender=env.get("CREDIT_CASES_SMTP_FROM") or f"noreply@{host}",
                        starttls=_flag(env.get("CREDIT_CASES_SMTP_STARTTLS"), port == 587),
                        ssl=_flag(env.get("CREDIT_CASES_SMTP_SSL"), port == 465),
                        timeout=float(env.get("CREDIT_CASES_SMTP_TIMEOUT") or "10"))


def load_oidc(env: dict[str, str]) -> OidcSettings | None:
    """Single sign-on is on when an issuer is set; then the client id and secret are required."""
    issuer = (env.get("CREDIT_CASES_OIDC_ISSUER") or "").strip()
    if not issuer:
        return None
    client_id = env.get("CREDIT_CASES_OIDC_CLIENT_ID") or ""
    client_secret = env.get("CREDIT_CASES_OIDC_CLIENT_SECRET") or ""
    if not (client_id and client_secret):
        raise ValueError("CREDIT_CASES_OIDC_ISSUER is set: CREDIT_CASES_OIDC_CLIENT_ID and "
                         "CREDIT_CASES_OIDC_CLIENT_SECRET are required too")
    defaults = ClaimMapping()

    def claim(key: str, default: str) -> str:
        value = env.get(f"CREDIT_CASES_OIDC_{key}_CLAIM")
        return default if value is None else value.strip()

    allowed = env.get("CREDIT_CASES_OIDC_ALLOWED_ROLES")
    claims = ClaimMapping(
        username=claim("USERNAME", defaults.username) or "sub", name=claim("NAME", defaults.name),
        subject_code=claim("SUBJECT_CODE", defaults.subject_code),
        subject_name=claim("SUBJECT_NAME", defaults.subject_name),
        roles=claim("ROLES", defaults.roles), department=claim("DEPARTMENT", defaults.department),
        allowed_roles=DEFAULT_IDP_ROLES if allowed is None else _names(allowed))
    return OidcSettings(issuer=issuer, client_id=client_id, client_secret=client_secret,
                        scopes=env.get("CREDIT_CASES_OIDC_SCOPES") or "openid profile",
                        label=env.get("CREDIT_CASES_OIDC_LABEL") or "统一身份认证登录", claims=claims)


def _names(value: str | None) -> frozenset[str]:
    """"reviewer, supervisor" → {"reviewer", "supervisor"} (commas or spaces)."""
    return frozenset((value or "").replace(",", " ").split())


def _flag(value: str | None, default: bool) -> bool:
    """'1'/'true'/'yes'/'on' and '0'/'false'/'no'/'off'; unset or empty: the default."""
    if not value:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")
