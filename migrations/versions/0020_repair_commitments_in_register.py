"""repair commitments in the register: the repair case and the records a commitment is linked to

A 信用修复型 commitment is signed inside a repair request; its register row names that case
(`origin_case_id`) and the records it covers (`record_ids`), so a breach can re-open their
publicity (DOMAIN.md §A, §B).

Revision ID: 0019c
Revises: 0018r
"""
import sqlalchemy as sa
from alembic import op

revision = '0019c'
down_revision = '0019i'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.add_column(sa.Column('record_ids', sa.JSON(), nullable=True))
        batch_op.create_foreign_key('fk_commitment_origin_case_id', 'case_instance', ['origin_case_id'], ['id'])
        batch_op.create_index('ix_commitment_origin_case_id', ['origin_case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index('ix_commitment_origin_case_id')
        batch_op.drop_constraint('fk_commitment_origin_case_id', type_='foreignkey')
        batch_op.drop_column('record_ids')
        batch_op.drop_column('origin_case_id')
