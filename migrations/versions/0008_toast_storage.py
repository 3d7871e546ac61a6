"""PostgreSQL storage of the two large columns

The workflow JSON (~25 KB) is rewritten on every engine advance: lz4 compresses it several
times faster than the default pglz (bench/repair_scale.py: the filing's UPDATE 0.8 → 0.4 ms).
Letter PDFs are already compressed: stored out of line without a futile compression attempt.
SQLite: nothing to do. A server without lz4 keeps pglz.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 10:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE letter ALTER COLUMN pdf SET STORAGE EXTERNAL")
    try:
        with bind.begin_nested():
            op.execute("ALTER TABLE case_instance ALTER COLUMN workflow_json SET COMPRESSION lz4")
    except sa.exc.DBAPIError:  # built without lz4 (or before PostgreSQL 14): stay on pglz
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE case_instance ALTER COLUMN workflow_json SET COMPRESSION pglz")
    op.execute("ALTER TABLE letter ALTER COLUMN pdf SET STORAGE EXTENDED")
