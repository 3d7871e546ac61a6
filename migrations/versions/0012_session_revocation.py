"""session revocation: a per-user session epoch, bumped on logout

Revision ID: 0010s
Revises: 0010a
"""
import sqlalchemy as sa
from alembic import op

revision = '0010s'
down_revision = '0010a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
