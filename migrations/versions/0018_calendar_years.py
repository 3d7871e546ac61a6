"""calendar years: years whose State Council holiday notice an admin has entered and confirmed

Revision ID: 0018r
Revises: 0017i
"""
import sqlalchemy as sa
from alembic import op

revision = '0018r'
down_revision = '0017i'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'calendar_year',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('confirmed_by', sa.String(length=64), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('year'),
    )


def downgrade() -> None:
    op.drop_table('calendar_year')
