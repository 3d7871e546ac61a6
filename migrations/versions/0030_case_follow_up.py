"""Follow-ups of committed steps (a case to open, a message to another case), kept until delivered.

Before, they lived only in the memory of the request that committed the step: a crash between its
commit and the delivery lost them (an approved repair without its commitment-supervision case).

Revision ID: 0030f
Revises: 0029g
"""
import sqlalchemy as sa
from alembic import op

revision = '0030f'
down_revision = '0029g'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_follow_up',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('origin_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['origin_case_id'], ['case_instance.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_follow_up_origin_case_id', 'case_follow_up', ['origin_case_id'])


def downgrade() -> None:
    op.drop_index('ix_case_follow_up_origin_case_id', table_name='case_follow_up')
    op.drop_table('case_follow_up')
