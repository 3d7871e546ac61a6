"""Credit records: the local day the first repair covering them was granted (`repaired_at`).

The repair rate counted repaired records by joining every approved repair case to its records
(a COUNT DISTINCT through ~140k cases at scale); the repair's own step now writes the day on the
record, so the statistics count it from the record index alone. Records repaired before this
revision get the day their first approved repair case closed (Asia/Shanghai, as the periods are).

Revision ID: 0027r
Revises: 0026t
"""
import sqlalchemy as sa
from alembic import op

revision = '0027r'
down_revision = '0026t'
branch_labels = None
depends_on = None

OLD_COLUMNS = ['publicity_max_end', 'kind', 'non_repairable', 'category_non_repairable', 'publicity_min_end',
               'publicity_start', 'department_code', 'regime']
# equalities first: without statistics (SQLite is never ANALYZEd) the planner then prefers this
# covering index to ix_record_warning_scan, whose leading `kind` it used to pick
RATE_COLUMNS = ['kind', 'non_repairable', 'category_non_repairable', 'publicity_max_end', 'publicity_min_end',
                'publicity_start', 'department_code', 'regime', 'repaired_at']
# the first approved repair of each record, as a local day (the index goes back after the update)
FIRST_GRANT = {
    'postgresql': "CAST(timezone('Asia/Shanghai', min(c.closed_at)) AS DATE)",
    'sqlite': "date(min(c.closed_at), '+8 hours')",
}
BACKFILL = ("UPDATE credit_record SET repaired_at = granted.day FROM ("
            "SELECT cr.record_id AS record_id, {day} AS day FROM case_record cr "
            "JOIN case_instance c ON c.id = cr.case_id "
            "WHERE c.kind = 'repair' AND c.outcome = 'approved' AND c.closed_at IS NOT NULL "
            "GROUP BY cr.record_id) AS granted WHERE credit_record.id = granted.record_id")


def upgrade() -> None:
    op.drop_index('ix_record_repair_rate', table_name='credit_record')
    with op.batch_alter_table('credit_record') as batch:
        batch.add_column(sa.Column('repaired_at', sa.Date(), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text(BACKFILL.format(day=FIRST_GRANT[bind.dialect.name])))
    op.create_index('ix_record_repair_rate', 'credit_record', RATE_COLUMNS)
    if bind.dialect.name == 'postgresql':
        # the update left the pages not all-visible (too few rows for autovacuum to come): the
        # rate's index-only scan would read the heap until a vacuum
        with op.get_context().autocommit_block():
            op.execute('VACUUM ANALYZE credit_record')


def downgrade() -> None:
    op.drop_index('ix_record_repair_rate', table_name='credit_record')
    with op.batch_alter_table('credit_record') as batch:
        batch.drop_column('repaired_at')
    op.create_index('ix_record_repair_rate', 'credit_record', OLD_COLUMNS)
