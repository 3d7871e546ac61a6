"""System clients in tests: the stored rows and the admin audit rows about them."""
from __future__ import annotations

from sqlalchemy import select

from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import ApiClient

CLIENT_EVENTS = ("client_created", "client_token_rotated", "client_revoked")


def stored_clients(store) -> list[ApiClient]:
    with store.read() as session:
        return list(session.scalars(select(ApiClient).order_by(ApiClient.id)))


def client_events(store) -> list[CaseEvent]:
    """The audit rows of client administration, oldest first."""
    with store.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.kind.in_(CLIENT_EVENTS))
                                    .order_by(CaseEvent.id)))


def every_stored_text(store) -> str:
    """Every value of every api_client and case_event row, as one string (to look for a leaked token)."""
    with store.read() as session:
        rows = [*session.scalars(select(ApiClient)), *session.scalars(select(CaseEvent))]
        return "\n".join(str(getattr(row, column.key)) for row in rows for column in row.__table__.columns)
