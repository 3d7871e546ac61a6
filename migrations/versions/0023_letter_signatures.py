"""Signed letters: the organ a letter is signed for, who signed it and when; an organ's
PKCS#12 key path; letters found by their verification code alone (the short URL /v/<code>).

Revision ID: 0023s
Revises: 0019p
"""
import sqlalchemy as sa
from alembic import op

revision = '0023s'
down_revision = '0019p'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.add_column(sa.Column("organ_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("signed_by", sa.String(300), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_letter_verification_code", ["verification_code"], unique=False)
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("certificate_path", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.drop_column("certificate_path")
    with op.batch_alter_table("letter") as batch:
        batch.drop_index("ix_letter_verification_code")
        batch.drop_column("signed_at")
        batch.drop_column("signed_by")
        batch.drop_column("organ_code")
