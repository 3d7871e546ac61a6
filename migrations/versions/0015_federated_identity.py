"""federated identity: links of local users to their accounts at an OpenID Connect provider

Revision ID: 0013o
Revises: 0013c
"""
import sqlalchemy as sa
from alembic import op

revision = '0013o'
down_revision = '0013c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'federated_identity',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('sub', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('issuer', 'sub', name='uq_federated_identity_issuer_sub'),
    )
    with op.batch_alter_table('federated_identity', schema=None) as batch_op:
        batch_op.create_index('ix_federated_identity_user_id', ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('federated_identity', schema=None) as batch_op:
        batch_op.drop_index('ix_federated_identity_user_id')
    op.drop_table('federated_identity')
