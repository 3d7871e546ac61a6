"""Idempotent API requests (`Idempotency-Key`): a repeated request never runs twice.

A keyed request's row is written by the request's first write transaction, at its start
(`UnitOfWork` calls `claim`), not in a transaction of its own: the unique (actor, key) makes a
concurrent duplicate wait for that transaction and then fail (`KeyInUse`, rolled back whole),
and a crash can never leave a row for work that did not happen. An answer built inside that
transaction (`prepare`) is written into the row before the commit; any other answer is stored
right after the request (`keep`). A request that writes nothing (refused, a preview) leaves no
row, so a retry of it simply runs again.

The web layer drives one keyed request: `look_up` (seen before?), `arm` for the rest of the
request, `keep` the answer, `disarm`. Rows expire after `RETENTION` (`purge_expired`, run by
the background tick).
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.errors import Conflict
from workflows.core.models.requests import IdempotentRequest

class Store(Protocol):
    """`workflows.core.store.Store`, whose units of work call `claim` (so not imported here)."""

    def write(self) -> Any: ...

    def read(self) -> Session: ...


KEY_MAX_LENGTH = 200
PATH_MAX_LENGTH = 500
RETENTION = timedelta(hours=24)
ANSWER_GRACE = timedelta(minutes=2)  # a row without its answer after this: the answer is lost


@dataclass(frozen=True)
class KeyedRequest:
    """Who sent which key with what: the caller scopes the key, the rest must match on a retry."""

    actor: str
    key: str
    method: str
    path: str
    body_sha256: str


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as stored; `body` None: not kept (it held a secret shown once)."""

    status: int
    body: bytes | None
    content_type: str | None


@dataclass(frozen=True)
class Seen:
    """What a key's row says about a new request with that key.

    `replay`: the first answer; `mismatch`: the key was used for another request; `pending`:
    the first request wrote but its answer is not stored yet; `not_kept`: done, its answer held
    a secret; `lost`: done, but its answer was a server error after the commit or was never
    stored (the process died in between) — not worth repeating for a day.
    """

    kind: Literal["replay", "mismatch", "pending", "not_kept", "lost"]
    answer: Answer | None = None


class KeyInUse(Conflict):
    """A concurrent request with the same key wrote first; this one was rolled back."""

    code = "idempotency_in_progress"


@dataclass
class Claim:
    """One keyed request while it runs (held in a context variable for its units of work)."""

    request: KeyedRequest
    now: datetime
    row_id: int | None = None  # the key's row, once the transaction that wrote it committed
    answered: bool = False  # the row holds the answer
    _pending: IdempotentRequest | None = None  # the row, inserted by the open unit of work
    _prepared: Answer | None = None

    @property
    def claimed(self) -> bool:
        return self.row_id is not None

    def before_commit(self) -> None:
        """The claiming unit of work commits: an answer built inside it goes into the row."""
        if self._pending is not None and self._prepared is not None:
            self._pending.status_code = self._prepared.status
            self._pending.content_type = self._prepared.content_type
            self._pending.response_body = self._prepared.body

    def committed(self) -> None:
        if self._pending is not None:
            self.row_id, self.answered = self._pending.id, self._prepared is not None
        self._pending = None

    def rolled_back(self) -> None:
        if self._pending is not None:
            self._pending, self._prepared = None, None


_current: ContextVar[Claim | None] = ContextVar("credit_cases_idempotency_claim", default=None)


def arm(request: KeyedRequest, now: datetime) -> Claim:
    """From now on in this context, the first write transaction claims `request`'s key."""
    claim = Claim(_stored(request), now)
    _current.set(claim)
    return claim


def disarm() -> None:
    _current.set(None)


def current() -> Claim | None:
    return _current.get()


def claim(session: Session) -> Claim | None:
    """Called by every write unit of work as it starts: the first one of a keyed request
    inserts the key's row (a row past its retention goes first), else nothing."""
    claim_ = _current.get()
    if claim_ is None or claim_.claimed:
        return None
    request = claim_.request
    session.execute(delete(IdempotentRequest).where(
        IdempotentRequest.actor == request.actor, IdempotentRequest.key == request.key,
        IdempotentRequest.created_at < claim_.now - RETENTION))
    row = IdempotentRequest(actor=request.actor, key=request.key, method=request.method, path=request.path,
                            body_sha256=request.body_sha256, created_at=claim_.now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as err:
        raise KeyInUse("使用同一 Idempotency-Key 的请求正在处理或已完成。") from err
    claim_._pending = row
    return claim_


def prepare(answer: Answer) -> None:
    """Inside the operation's transaction: the answer to store with the key, if keyed."""
    claim_ = _current.get()
    if claim_ is not None and claim_._pending is not None:
        claim_._prepared = answer


def keep(store: Store, answer: Answer) -> None:
    """After the request: store its answer, if it wrote (claimed its key) without one yet."""
    claim_ = _current.get()
    if claim_ is None or not claim_.claimed or claim_.answered:
        return
    with store.write() as uow:  # the key is claimed: this unit of work claims nothing
        row = uow.session.get(IdempotentRequest, claim_.row_id)
        if row is not None:
            row.status_code, row.content_type, row.response_body = answer.status, answer.content_type, answer.body
        uow.commit()
    claim_.answered = True


def look_up(store: Store, request: KeyedRequest, now: datetime) -> Seen | None:
    """What an earlier request with this caller's key left, or None (unseen or expired)."""
    request = _stored(request)
    with store.read() as session:
        row = session.scalars(select(IdempotentRequest).where(
            IdempotentRequest.actor == request.actor, IdempotentRequest.key == request.key)).first()
    if row is None or row.created_at < now - RETENTION:
        return None
    if (row.method, row.path, row.body_sha256) != (request.method, request.path, request.body_sha256):
        return Seen("mismatch")
    if row.status_code is None:
        return Seen("lost" if row.created_at < now - ANSWER_GRACE else "pending")
    if row.status_code >= 500:
        return Seen("lost")
    answer = Answer(row.status_code, row.response_body, row.content_type)
    return Seen("replay" if row.response_body is not None else "not_kept", answer)


def purge_expired(session: Session, now: datetime) -> int:
    """Forget keys older than `RETENTION` (the background tick, with the runtime clock)."""
    result = session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < now - RETENTION))
    return result.rowcount or 0


def _stored(request: KeyedRequest) -> KeyedRequest:
    """As the row keeps it: a path beyond its column is cut (no route is that long)."""
    if len(request.path) <= PATH_MAX_LENGTH:
        return request
    return KeyedRequest(request.actor, request.key, request.method, request.path[:PATH_MAX_LENGTH],
                        request.body_sha256)
