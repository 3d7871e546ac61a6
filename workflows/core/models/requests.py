"""API requests sent with an `Idempotency-Key`: what was asked and the first answer, for 24 hours."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflows.core.models.base import Base, BigId, UTCDateTime  # noqa: F401


class IdempotentRequest(Base):
    """One caller's key: written in the same transaction as the first write of its request.

    `status_code` is None until the answer is stored (the same transaction when the answer
    was built inside it, else right after); an answer holding a secret shown once (a token,
    `Cache-Control: no-store`) keeps its status but not its body (`response_body` None).
    """

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("actor", "key", name="uq_idempotent_request_actor_key"),
                      Index("ix_idempotent_request_created_at", "created_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(String(100))  # a username, `client:<name>` or `anonymous`
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    body_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
