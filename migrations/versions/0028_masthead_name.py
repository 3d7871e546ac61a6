"""Departments' 发文机关标志 (masthead_name): the 规范化简称 (GB/T 9704-2012 §7.2.2) their letters'
masthead prints instead of a long full name; "" keeps the full issuer name.

Revision ID: 0028m
Revises: 0027r
"""
import sqlalchemy as sa
from alembic import op

revision = '0028m'
down_revision = '0027r'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('masthead_name', sa.String(length=60), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_column('masthead_name')
