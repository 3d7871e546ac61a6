"""People and organisations: departments, subjects (companies and persons), users, API tokens,
system clients, sign-in failures, and the links of users to their accounts at an identity provider."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


class Department(Base):
    __tablename__ = "department"

    """A government organ; also the issuer of the letters it decides (DOMAIN.md §H)."""

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    issuer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # 发文机关标志: the 规范化简称 its letters' masthead prints ("" prints issuer_name)
    masthead_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    number_prefixes: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # letter type or "default" → prefix
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    seal_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    # PKCS#12 key that signs its letters; the passphrase is kept outside the database (archive/signing.py)
    certificate_path: Mapped[str | None] = mapped_column(String(500))


class Subject(Base):
    """A company (USCC) or a person (resident ID number) that records are about."""

    __tablename__ = "subject"
    # the case search's part-of-name match: a trigram index on PostgreSQL (pg_trgm), plain on SQLite
    __table_args__ = (Index("ix_subject_name_trgm", "name", postgresql_using="gin",
                            postgresql_ops={"name": "gin_trgm_ops"}),)

    code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))  # legal_person | natural_person
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    roles: Mapped[str] = mapped_column(String(200))  # comma-separated role keys
    subject_code: Mapped[str | None] = mapped_column(ForeignKey("subject.code"))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]
    # Bumped on logout: every session cookie issued before it stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # where notifications go besides the in-app list (workflows/notifications/preferences.py)
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email_off: Mapped[list[str] | None] = mapped_column(JSON)  # notification groups not wanted by e-mail

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class ApiToken(Base):
    __tablename__ = "api_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiClient(Base):
    """Another government system calling the API with its own long-lived token (never a user).

    Only the token's sha256 is stored; `token_prefix` (its first characters) lets an admin
    recognise a token in lists. Revoking keeps the row, so audit rows still name the client.
    """

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # acts as `client:<name>`
    description: Mapped[str] = mapped_column(String(500), default="", server_default="")
    scopes: Mapped[str] = mapped_column(String(100))  # comma-separated, sorted: check,outbox,records_write
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_prefix: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None]

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class LoginFailure(Base):
    """A failed sign-in (form or API token): counted to throttle password guessing."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_username_at", "username", "at"),
                      Index("ix_login_failure_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class SubjectBinding(Base):
    """Proof that an account may act for a subject: asserted by a trusted identity provider,
    reviewed by the credit office (a binding case), or granted by an administrator.

    An account acts for a subject only while such a row is active (not revoked, not past
    `valid_until`, the authorisation's last day); `User.subject_code` only says which of its
    bound subjects the account currently acts for."""

    __tablename__ = "subject_binding"
    __table_args__ = (Index("ix_subject_binding_user", "user_id", "subject_code"),
                      Index("ix_subject_binding_subject", "subject_code", "revoked_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    subject_code: Mapped[str] = mapped_column(ForeignKey("subject.code"))
    relation: Mapped[str] = mapped_column(String(16))  # holder (the subject or its legal representative) | agent
    source: Mapped[str] = mapped_column(String(16))  # idp | review | admin | demo
    case_id: Mapped[int | None] = mapped_column(Integer)  # the binding case that approved it
    valid_until: Mapped[date | None] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    revoke_reason: Mapped[str | None] = mapped_column(String(200))


class FederatedIdentity(Base):
    """A user's account at an OpenID Connect provider: the provider's (issuer, sub) names one local user.

    Sign-in through the provider finds the user by this link only, never by a matching username,
    so an identity-provider account named like a local administrator cannot take that account over.
    """

    __tablename__ = "federated_identity"
    __table_args__ = (UniqueConstraint("issuer", "sub", name="uq_federated_identity_issuer_sub"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    issuer: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime]
