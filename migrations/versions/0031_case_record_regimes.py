"""Cases: the regimes of their records (`record_regimes`, " gb22 "), in the statistics' index.

The statistics' regime filter asked, for every case received in the period, whether one of its
records is of the regime: two index lookups per case and per query, 1.3–2 s for a year's repair
tab on SQLite at scale. Kept on the case and read from ix_case_statistics, the filter costs no
more than the unfiltered page, and the records' (id, regime) index of 0029g has no reader left.
Cases linked to records before this revision get their records' regimes now (workflows/records/case_regimes.py keeps them from here on).

Revision ID: 0031c
Revises: 0030f
"""
import sqlalchemy as sa
from alembic import op

revision = '0031c'
down_revision = '0030f'
branch_labels = None
depends_on = None

OLD_COLUMNS = ['kind', 'received_at', 'status', 'outcome', 'closed_at', 'department_code']
NEW_COLUMNS = OLD_COLUMNS + ['record_regimes']
JOINED = {
    'postgresql': "string_agg(regime, ' ' ORDER BY regime)",
    'sqlite': "group_concat(regime, ' ')",  # in the sorted order of the inner query
}
BACKFILL = ("UPDATE case_instance SET record_regimes = ' ' || found.regimes || ' ' FROM ("
            "SELECT case_id, {joined} AS regimes FROM ("
            "SELECT DISTINCT cr.case_id AS case_id, r.regime AS regime FROM case_record cr "
            "JOIN credit_record r ON r.id = cr.record_id ORDER BY 1, 2) AS pairs GROUP BY case_id) AS found "
            "WHERE case_instance.id = found.case_id")


def upgrade() -> None:
    op.drop_index('ix_record_regime_by_id', table_name='credit_record')
    op.drop_index('ix_case_statistics', table_name='case_instance')
    with op.batch_alter_table('case_instance') as batch:
        batch.add_column(sa.Column('record_regimes', sa.String(64), nullable=False, server_default=''))
    bind = op.get_bind()
    bind.execute(sa.text(BACKFILL.format(joined=JOINED[bind.dialect.name])))
    op.create_index('ix_case_statistics', 'case_instance', NEW_COLUMNS)
    if bind.dialect.name == 'postgresql':
        # the update left the pages not all-visible: the statistics' index-only scans would read
        # the heap until autovacuum came
        with op.get_context().autocommit_block():
            op.execute('VACUUM ANALYZE case_instance')


def downgrade() -> None:
    op.drop_index('ix_case_statistics', table_name='case_instance')
    with op.batch_alter_table('case_instance') as batch:
        batch.drop_column('record_regimes')
    op.create_index('ix_case_statistics', 'case_instance', OLD_COLUMNS)
    op.create_index('ix_record_regime_by_id', 'credit_record', ['id', 'regime'])
