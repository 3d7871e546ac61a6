"""Sign-in through an OpenID Connect provider: find or provision the local account of (issuer, sub).

The web layer has already let Authlib check the provider's answer (state, PKCE, the id_token's
signature, issuer, audience, nonce and expiry); this module decides what the verified claims
mean here. An account is found by its link (issuer, sub) only — a username asserted by the
provider never selects an existing account, so nobody takes over a local account by naming
an identity-provider account like it.

Staff roles come from the roles claim, filtered by the roles the provider may grant
(`ClaimMapping.allowed_roles`), and are brought up to date at every sign-in together with the
department; roles outside that list (say `admin`, granted here by an administrator) are this
system's own and stay as they are. A person with no staff role is an applicant.
"""
from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.config import ClaimMapping, Settings
from workflows.core.errors import InvalidInput
from workflows.core.identifiers import mask_id_number, mask_subject_code, validate_id_number, validate_subject_code
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department, FederatedIdentity, Subject, User
from workflows.core.store import Store
from workflows.people.access import ROLES
from workflows.people.bindings import active_bindings, grant_binding
from workflows.people.subjects import register_subject
from workflows.people.users import find_user

USERNAME_MAX = 64
CLAIM_MAX = 255  # issuer, sub, and any claim value we keep
NAME_MAX = 100
APPLICANT = "applicant"
NEVER_FROM_IDP = frozenset({APPLICANT})  # what a person without staff roles is anyway
UNUSABLE_PASSWORD = "!sso-only:"  # no argon2 hash: password sign-in can never match it


@dataclass(frozen=True)
class FederatedSignIn:
    user: User
    created: bool  # provisioned at this sign-in


def configuration_problems(settings: Settings) -> list[str]:
    """Mistakes to refuse at start-up: role keys this system does not know, in either role list."""
    lists = {"CREDIT_CASES_PASSWORD_SIGNIN_DISABLED_ROLES": settings.password_signin_disabled_roles}
    if settings.oidc is not None:
        lists["CREDIT_CASES_OIDC_ALLOWED_ROLES"] = settings.oidc.claims.allowed_roles
    return [f"unknown role(s) in {key}: {', '.join(sorted(roles - ROLES.keys()))}"
            for key, roles in lists.items() if roles - ROLES.keys()]


def sign_in_federated(store: Store, issuer: str, claims: Mapping[str, Any], mapping: ClaimMapping,
                      now: datetime) -> FederatedSignIn:
    """The local user for the provider's verified `claims`, created on the first sign-in.

    One transaction, audited; a refusal (an invalid subject code, an unknown department, a
    disabled account) stores nothing. Two first sign-ins of one person at the same moment
    meet at the unique (issuer, sub) index: the loser finds the winner's link on its retry.
    """
    identity = _asserted_identity(issuer, claims, mapping)
    for attempt in range(2):
        try:
            with store.write() as uow:
                result = _sign_in(uow.session, identity, now)
                uow.commit()
            return result
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Identity:
    """What the provider asserts, read through the claim mapping and checked for shape."""

    issuer: str
    sub: str
    username: str
    display_name: str
    staff_roles: frozenset[str]
    department_code: str | None
    subject_code: str | None  # validated, normalised
    subject_name: str
    manages_roles: bool  # the roles claim is mapped: the provider decides the roles it may grant
    manages_department: bool
    allowed_roles: frozenset[str]


def _asserted_identity(issuer: str, claims: Mapping[str, Any], mapping: ClaimMapping) -> _Identity:
    sub = _text(claims.get("sub"))
    if not issuer or not sub or len(issuer) > CLAIM_MAX or len(sub) > CLAIM_MAX:
        raise InvalidInput("统一身份认证返回的身份信息不完整，无法登录")
    allowed = (mapping.allowed_roles & ROLES.keys()) - NEVER_FROM_IDP
    claimed = _role_names(claims.get(mapping.roles)) if mapping.roles else frozenset()
    department = _text(claims.get(mapping.department)) if mapping.department else ""
    if len(department) > 32:
        raise InvalidInput("统一身份认证返回的部门代码过长，无法登录")
    subject_code = _text(claims.get(mapping.subject_code)) if mapping.subject_code else ""
    if subject_code:
        try:
            _category, subject_code = validate_subject_code(subject_code[:CLAIM_MAX])
        except InvalidInput as err:
            raise InvalidInput(f"统一身份认证提供的主体代码无效（{err.message}），无法登录，请联系信用办") from err
    return _Identity(
        issuer=issuer, sub=sub,
        username=(_clean(_text(claims.get(mapping.username))) or _clean(sub) or "sso")[:USERNAME_MAX],
        display_name=_clean(_text(claims.get(mapping.name)) if mapping.name else "")[:NAME_MAX],
        staff_roles=claimed & allowed, department_code=department or None, subject_code=subject_code or None,
        subject_name=_clean(_text(claims.get(mapping.subject_name)) if mapping.subject_name else "")[:200],
        manages_roles=bool(mapping.roles), manages_department=bool(mapping.department),
        allowed_roles=allowed)


def _sign_in(session: Session, identity: _Identity, now: datetime) -> FederatedSignIn:
    link = session.scalars(select(FederatedIdentity).where(
        FederatedIdentity.issuer == identity.issuer, FederatedIdentity.sub == identity.sub)).first()
    created = link is None
    if link is None:
        user = _provision(session, identity, now)
        link = FederatedIdentity(issuer=identity.issuer, sub=identity.sub, user_id=user.id,
                                 created_at=as_utc(now), last_login_at=as_utc(now))
        session.add(link)
    else:
        user = session.get(User, link.user_id)
        if user is None or not user.active:
            raise InvalidInput("该账号已停用，请联系信用办")
    before = _snapshot(user)
    _apply_roles(session, user, identity)
    if identity.display_name:
        user.display_name = identity.display_name
    if identity.subject_code and not user.role_set - {APPLICANT}:
        _bind_subject(session, user, identity, now)
    link.last_login_at = as_utc(now)
    after = _snapshot(user)
    session.add(CaseEvent(
        case_id=None, at=as_utc(now), actor=user.username, kind="federated_sign_in",
        summary=f"用户 {user.username} 通过统一身份认证登录" + ("（角色、部门或主体已按认证信息更新）" if after != before else ""),
        before=None if created or after == before else before,
        after={**after, "issuer": identity.issuer}))
    session.flush()
    return FederatedSignIn(user, created)


def _provision(session: Session, identity: _Identity, now: datetime) -> User:
    """A new local account for this identity; no password (it signs in through the provider)."""
    user = User(username=_free_username(session, identity), display_name=identity.display_name or identity.username,
                password_hash=UNUSABLE_PASSWORD + secrets.token_hex(16), roles=APPLICANT, active=True,
                created_at=as_utc(now))
    session.add(user)
    session.flush()
    session.add(CaseEvent(
        case_id=None, at=as_utc(now), actor=user.username, kind="federated_account_created",
        summary=f"首次通过统一身份认证登录，创建账号 {user.username}",
        after={"username": user.username, "issuer": identity.issuer, "sub": _loggable(identity.sub)}))
    return user


def _loggable(sub: str) -> str:
    """Some providers use the resident ID number as `sub`: the audit log shows it masked."""
    try:
        validate_id_number(sub)
    except InvalidInput:
        return sub
    return mask_id_number(sub)


def _apply_roles(session: Session, user: User, identity: _Identity) -> None:
    """Roles the provider may grant follow its claim; this system's own roles stay."""
    roles = set(user.role_set)
    if identity.manages_roles:
        roles = (roles - identity.allowed_roles - {APPLICANT}) | identity.staff_roles
    department = identity.department_code if identity.manages_department else user.department_code
    if department is not None:
        _check_department(session, department)
    if "department" in roles and not department:
        raise InvalidInput("统一身份认证未提供认定部门账号所属的部门，无法登录，请联系信用办")
    user.roles = ",".join(sorted(roles or {APPLICANT}))
    user.department_code = department


def _bind_subject(session: Session, user: User, identity: _Identity, now: datetime) -> None:
    """The provider vouches that this person acts for the subject: bind as holder, act for it now.

    A subject new here is registered under the asserted name; an existing one keeps its name.
    A binding that is already active is left alone (no new audit row at every sign-in).
    """
    code = identity.subject_code
    assert code is not None
    if session.get(Subject, code) is None:
        if not identity.subject_name:
            raise InvalidInput("统一身份认证未提供主体名称，无法登记该主体，请联系信用办")
        register_subject(session, code, identity.subject_name, now)
        session.flush()
    held = any(b.subject_code == code and b.relation == "holder" for b in active_bindings(session, user.id, now))
    if not held:
        grant_binding(session, user_id=user.id, subject_code=code, relation="holder", source="idp",
                      granted_by=_granted_by(identity.issuer), now=now)
    user.subject_code = code  # signed in as this subject: act for it


def _granted_by(issuer: str) -> str:
    """Who vouched, for the audit log: the provider by its host."""
    host = issuer.split("://", 1)[-1].split("/", 1)[0]
    return f"idp:{host}"[:64]


def _check_department(session: Session, code: str) -> None:
    found = session.get(Department, code)
    if found is None or not found.active:
        raise InvalidInput(f"统一身份认证提供的部门 {code} 未在本系统登记或已停用，请联系信用办")


def _free_username(session: Session, identity: _Identity) -> str:
    """The asserted username if nobody has it, else the same with a suffix derived from the link."""
    base = identity.username
    if find_user(session, base) is None:
        return base
    digest = hashlib.sha256(f"{identity.issuer}\n{identity.sub}".encode()).hexdigest()
    for length in (6, 12, 64):
        candidate = f"{base[:USERNAME_MAX - length - 1]}.{digest[:length]}"
        if find_user(session, candidate) is None:
            return candidate
    raise InvalidInput("无法为该统一身份认证账号分配用户名，请联系信用办")


def _snapshot(user: User) -> dict[str, Any]:
    return {"username": user.username, "roles": sorted(user.role_set), "department_code": user.department_code,
            "subject_code": mask_subject_code(user.subject_code) if user.subject_code else None}


def _role_names(value: Any) -> frozenset[str]:
    """A list of role keys, or one string of them separated by spaces or commas."""
    if isinstance(value, str):
        return frozenset(value.replace(",", " ").split())
    if isinstance(value, (list, tuple)):
        return frozenset(item.strip() for item in value if isinstance(item, str))
    return frozenset()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(text: str) -> str:
    """Full-width letters folded, control characters dropped: names shown in lists and logs."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(char for char in folded if unicodedata.category(char)[0] != "C").strip()
