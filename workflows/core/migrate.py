"""Schema upgrades through Alembic (`credit-cases db upgrade`)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from workflows.core.config import PROJECT_ROOT
from workflows.core.db import normalise_url

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def current_heads(url: str) -> set[str]:
    from alembic.script import ScriptDirectory
    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
