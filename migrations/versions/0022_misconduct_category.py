"""Credit records: the category of misconduct (失信行为类别) and what the repairability rule
(DMN record_repairability) made of it.

Revision ID: 0019p
Revises: 0020l
"""
import sqlalchemy as sa
from alembic import op

revision = '0019p'
down_revision = '0020l'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credit_record") as batch:
        batch.add_column(sa.Column("misconduct_category", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("category_non_repairable", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("non_repairable_reason", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("credit_record") as batch:
        batch.drop_column("non_repairable_reason")
        batch.drop_column("category_non_repairable")
        batch.drop_column("misconduct_category")
