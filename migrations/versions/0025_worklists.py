"""Worklists (issue 17): saved search filters, internal case comments, out-of-office delegations;
indexes for the case search (subject name, decision number).

Revision ID: 0023w
Revises: 0023n
"""
import sqlalchemy as sa
from alembic import op

revision = '0023w'
down_revision = '0023n'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "saved_filter",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username", "name"))
    op.create_index("ix_saved_filter_username", "saved_filter", ["username"])
    op.create_table(
        "case_comment",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("case_id", BigId, sa.ForeignKey("case_instance.id"), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_case_comment_case", "case_comment", ["case_id", "id"])
    op.create_table(
        "delegation",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("substitute", sa.String(64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id"))
    op.create_index("ix_delegation_user_dates", "delegation", ["username", "ends_on"])
    op.create_index("ix_delegation_substitute_dates", "delegation", ["substitute", "ends_on"])
    op.create_index("ix_case_received", "case_instance", ["received_at", "id"])
    _trigram_indexes()


def _trigram_indexes() -> None:
    """Part-of-text matches (LIKE '%…%') of subject names and decision numbers read a trigram
    index on PostgreSQL (pg_trgm, a trusted extension: the database owner may create it);
    SQLite gets plain indexes of the same names, so the schema is one on both."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # the operator class lives in the extension's schema, which need not be on this schema's path
        schema = op.get_bind().exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'").scalar_one()
        ops = f'"{schema}".gin_trgm_ops'
        op.create_index("ix_subject_name_trgm", "subject", ["name"], postgresql_using="gin",
                        postgresql_ops={"name": ops})
        op.create_index("ix_record_decision_no_trgm", "credit_record", ["decision_no"], postgresql_using="gin",
                        postgresql_ops={"decision_no": ops})
    else:
        op.create_index("ix_subject_name_trgm", "subject", ["name"])
        op.create_index("ix_record_decision_no_trgm", "credit_record", ["decision_no"])


def downgrade() -> None:
    op.drop_index("ix_record_decision_no_trgm", "credit_record")
    op.drop_index("ix_subject_name_trgm", "subject")
    op.drop_index("ix_case_received", "case_instance")
    op.drop_table("delegation")
    op.drop_table("case_comment")
    op.drop_table("saved_filter")
