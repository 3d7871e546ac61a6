"""System clients' tokens: what a bearer token of another government system stands for.

A client acts as `client:<name>` with one pseudo-role per granted scope (CLIENT_SCOPE_ROLES),
so the permission policy lets it do exactly its scopes and nothing else. Its tokens start
with `ccs_`, so the identity layer looks a bearer up in one table in the common case; only
the sha256 is stored. Managing clients (create, rotate, revoke, audited) is
`workflows.administration.clients`.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from workflows.core.clock import as_utc
from workflows.core.models.people import ApiClient
from workflows.core.store import Store
from workflows.people.access import CLIENT_SCOPE_ROLES, Actor
from workflows.people.tokens import hash_token

TOKEN_PREFIX = "ccs_"
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6  # what lists show to recognise a token
USERNAME_PREFIX = "client:"
SCOPES = tuple(CLIENT_SCOPE_ROLES)
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often: no write per call

_log = logging.getLogger(__name__)

ACTIVE_CLIENT = (select(ApiClient)  # built once: every client call runs it
                 .where(ApiClient.token_hash == bindparam("token_hash"), ApiClient.revoked_at.is_(None)))


def new_token() -> str:
    """A fresh client token: the prefix and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def looks_like_client_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


def shown_prefix(token: str) -> str:
    return token[:SHOWN_PREFIX_LENGTH]


def client_username(name: str) -> str:
    """The actor name a client's calls carry (audit rows, record history, letters)."""
    return USERNAME_PREFIX + name


def actor_of_client(client: ApiClient) -> Actor:
    roles = frozenset(CLIENT_SCOPE_ROLES[scope] for scope in client.scope_set if scope in CLIENT_SCOPE_ROLES)
    return Actor(client_username(client.name), roles, None, client.department_code)


def actor_for_client_token(store: Store, token: str, now: datetime) -> Actor | None:
    """Who a client token speaks for; None when it is unknown, rotated away or revoked."""
    now = as_utc(now)
    with store.read() as session:
        client = session.scalars(ACTIVE_CLIENT, {"token_hash": hash_token(token)}).first()
        if client is None:
            return None
        actor = actor_of_client(client)
        stale = client.last_used_at is None or client.last_used_at <= now - TOUCH_EVERY
    if stale:
        _touch(store, client.id, now)
    return actor


def _touch(store: Store, client_id: int, now: datetime) -> None:
    """Note the use; a failure here must not fail the call it accompanies."""
    try:
        with store.write() as uow:
            uow.session.execute(update(ApiClient).where(
                ApiClient.id == client_id,
                or_(ApiClient.last_used_at.is_(None), ApiClient.last_used_at <= now - TOUCH_EVERY),
            ).values(last_used_at=now))
            uow.commit()
    except SQLAlchemyError:
        _log.warning("could not note the use of system client %s", client_id, exc_info=True)
