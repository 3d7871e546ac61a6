"""Alembic environment: the URL comes from the caller (credit-cases db upgrade) or the env."""
from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from workflows.core.config import load_settings
from workflows.core.db import make_engine, normalise_url
from workflows.core.models.base import UTCDateTime
from workflows.core.models import metadata

config = context.config
target_metadata = metadata


def _url() -> str:
    return normalise_url(config.get_main_option("sqlalchemy.url") or load_settings().database_url)


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def _render_item(type_, obj, autogen_context):
    """Our UTCDateTime decorator is plain `DateTime(timezone=True)` in the schema."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
