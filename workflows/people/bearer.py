"""Who a bearer token speaks for: a user's API token or a system client's token.

Client tokens carry their own prefix, so each bearer costs one lookup in the common case; a
token with the client prefix that is no client's falls through to the users' tokens (a
user token may start with those characters by chance).
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.clients import actor_for_client_token, looks_like_client_token
from workflows.people.tokens import actor_for_token

Via = Literal["client", "token"]


def actor_for_bearer(store: Store, token: str, now: datetime) -> tuple[Actor, Via] | None:
    """The actor and how it authenticated; None for an unknown, expired or revoked token."""
    if looks_like_client_token(token):
        actor = actor_for_client_token(store, token, now)
        if actor is not None:
            return actor, "client"
    actor = actor_for_token(store, token, now)
    return (actor, "token") if actor is not None else None
