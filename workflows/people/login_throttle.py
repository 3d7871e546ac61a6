"""Throttle password guessing: too many failed sign-ins lock a username (and an address) for a while.

Counted in the database, so every server process and thread sees the same count. A locked
username is refused before its password is checked, so guessing stops paying off; a successful
sign-in clears that username's failures. Same rule for the login form and the API token endpoint.

Per username, the lock doubles with every further failure (15 min, 30 min, 1 h … at most
4 h), so guessing one account gets slower and slower. Per address the bar is higher (20 in
15 minutes, no doubling): an office behind one NAT address stays usable, and behind trusted
reverse proxies the address is the client's own (webapp/security.py), not the proxy's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.models.people import LoginFailure, User
from workflows.core.store import Store
from workflows.people.users import authenticate

WINDOW = timedelta(minutes=15)
MAX_PER_USERNAME = 5  # a person mistyping; far below what guessing needs
MAX_PER_ADDRESS = 20  # one address trying many usernames (a shared office NAT stays usable)
USERNAME_MEMORY = timedelta(days=1)  # failures this recent keep doubling the username's lock
LONGEST_LOCK = timedelta(hours=4)


def locked_until(session: Session, username: str, address: str, now: datetime) -> datetime | None:
    """When sign-in for `username` from `address` may be tried again; None if it may now."""
    since = as_utc(now) - WINDOW
    ends = [_username_lock_end(session, username[:64], as_utc(now)),
            _lock_end(session, LoginFailure.address == address[:64], MAX_PER_ADDRESS, since)]
    ends = [end for end in ends if end is not None and end > as_utc(now)]
    return max(ends) if ends else None


def record_failure(session: Session, username: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(username=username[:64], address=address[:64], at=as_utc(now)))


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == username[:64]))


def lock_length(failures: int) -> timedelta:
    """How long the `failures`-th failure in a row locks a username: doubling from WINDOW."""
    if failures < MAX_PER_USERNAME:
        return timedelta(0)
    return min(WINDOW * 2 ** min(failures - MAX_PER_USERNAME, 8), LONGEST_LOCK)


def _username_lock_end(session: Session, username: str, now: datetime) -> datetime | None:
    """The latest failure plus the lock its count earns (None: under the limit)."""
    failures, latest = session.execute(
        select(func.count(), func.max(LoginFailure.at))
        .where(LoginFailure.username == username, LoginFailure.at > now - USERNAME_MEMORY)).one()
    return as_utc(latest) + lock_length(failures) if failures >= MAX_PER_USERNAME else None


def _lock_end(session: Session, condition, limit: int, since: datetime) -> datetime | None:
    """The moment the `limit`-th latest failure in the window leaves it (None: under the limit)."""
    query = (select(LoginFailure.at).where(condition, LoginFailure.at > since)
             .order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1))
    oldest_counted = session.scalar(query)
    return as_utc(oldest_counted) + WINDOW if oldest_counted is not None else None


def sign_in(store: Store, now: datetime, username: str, password: str, address: str, *,
            password_disabled_for: frozenset[str] = frozenset()) -> SignIn:
    """Check a password unless the username or address is locked; count the outcome.

    A user holding a role in `password_disabled_for` must sign in through single sign-on: the
    right password is refused (after checking it, so the refusal reveals nothing about accounts
    to someone who does not know the password), neither counted as a failure nor clearing any.
    """
    with store.read() as session:
        until = locked_until(session, username, address, now)
        if until is not None:
            return SignIn(None, until)
        user = authenticate(session, username, password)  # outside the write lock: argon2 is slow
    if user is not None and user.role_set & password_disabled_for:
        return SignIn(None, None, password_disabled=True)
    with store.write() as uow:
        if user is None:
            record_failure(uow.session, username, address, now)
        else:
            clear_failures(uow.session, username)
        uow.commit()
    return SignIn(user, None)


@dataclass(frozen=True)
class SignIn:
    user: User | None  # None: wrong credentials, locked, or password sign-in switched off for the role
    locked_until: datetime | None = None
    password_disabled: bool = False  # right password, but this user's role signs in through SSO only
