"""office administration: departments as letter issuers, forced password change

Revision ID: 0010g
Revises: 0009
Create Date: 2026-12-05 01:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010g'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('issuer_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('number_prefixes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('seal_png', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('department', schema=None) as batch_op:
        for column in ('seal_png', 'phone', 'address', 'number_prefixes', 'issuer_name', 'active'):
            batch_op.drop_column(column)
