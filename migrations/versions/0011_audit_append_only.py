"""audit log append-only; indexes for the audit log page

The database itself refuses UPDATE and DELETE on `case_event` (DESIGN.md principle 8), so no
code path, script or hand-typed statement can rewrite history. On PostgreSQL TRUNCATE is
refused too (TRUNCATE fires no row triggers); the test fixture, which owns the schema,
disables the user triggers for its own reset only.

Revision ID: 0010a
Revises: 0010g
Create Date: 2026-12-05 09:30:00
"""
from alembic import op


revision = '0010a'
down_revision = '0010g'
branch_labels = None
depends_on = None

MESSAGE = "case_event is append-only"
PG_UPGRADE = (
    f"""CREATE FUNCTION case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER case_event_no_change BEFORE UPDATE OR DELETE ON case_event
    FOR EACH ROW EXECUTE FUNCTION case_event_append_only()""",
    """CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
    FOR EACH STATEMENT EXECUTE FUNCTION case_event_append_only()""",
)
PG_DOWNGRADE = (
    "DROP TRIGGER case_event_no_truncate ON case_event",
    "DROP TRIGGER case_event_no_change ON case_event",
    "DROP FUNCTION case_event_append_only()",
)
SQLITE_UPGRADE = tuple(
    f"""CREATE TRIGGER case_event_no_{verb.lower()} BEFORE {verb} ON case_event
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {verb} refused'); END"""
    for verb in ("UPDATE", "DELETE"))
SQLITE_DOWNGRADE = ("DROP TRIGGER case_event_no_delete", "DROP TRIGGER case_event_no_update")


def upgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_case_event_at', ['at'], unique=False)
        batch_op.create_index('ix_case_event_actor', ['actor', 'id'], unique=False)
    for statement in PG_UPGRADE if _postgresql() else SQLITE_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in PG_DOWNGRADE if _postgresql() else SQLITE_DOWNGRADE:
        op.execute(statement)
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_case_event_actor')
        batch_op.drop_index('ix_case_event_at')


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"
