"""Credit records: (id, regime) as a covering index.

The statistics' regime filter asks, for every case received in the period, whether one of its
records is of the regime: a lookup by record id that read the whole record row (facts, basis,
content) from a table of a million rows, once per case and per query of the tab. Read from this
narrow index instead, the repair tab filtered by regime takes about half the time.

Revision ID: 0029g
Revises: 0028m
"""
from alembic import op

revision = '0029g'
down_revision = '0028m'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_record_regime_by_id', 'credit_record', ['id', 'regime'])


def downgrade() -> None:
    op.drop_index('ix_record_regime_by_id', table_name='credit_record')
