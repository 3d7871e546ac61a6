"""subject bindings: an account acts for a subject only with proof (IdP, reviewed request, admin)

Revision ID: 0013b
Revises: 0010s
"""
import sqlalchemy as sa
from alembic import op

revision = '0013b'
down_revision = '0010s'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'subject_binding',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('subject_code', sa.String(length=18), nullable=False),
        sa.Column('relation', sa.String(length=16), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('granted_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_by', sa.String(length=64), nullable=True),
        sa.Column('revoke_reason', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['subject_code'], ['subject.code']),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_subject_binding_user', 'subject_binding', ['user_id', 'subject_code'])
    op.create_index('ix_subject_binding_subject', 'subject_binding', ['subject_code', 'revoked_at'])
    # Accounts bound before this revision keep their subject, as an administrator's grant.
    op.execute(
        "INSERT INTO subject_binding (user_id, subject_code, relation, source, granted_by, created_at) "
        "SELECT id, subject_code, 'holder', 'admin', 'migration', created_at FROM app_user "
        "WHERE subject_code IS NOT NULL")


def downgrade() -> None:
    op.drop_index('ix_subject_binding_subject', table_name='subject_binding')
    op.drop_index('ix_subject_binding_user', table_name='subject_binding')
    op.drop_table('subject_binding')
