"""Tasks: their case's kind and receipt (`case_kind`, `case_received_at`), indexed for statistics.

The on-time counts of a period's cases joined every case received in it to its tasks: one index
lookup per case, ~180 ms of a year's repair tab on SQLite at scale (bench/stats.py), twice (the
counts, then the tasks that missed). A case's kind and receipt never change, so the task keeps
them and the counts read one range of ix_human_task_received. Tasks made before this revision get
them from their case now (workflows/engine/projections.py sets them from here on).

Revision ID: 0032t
Revises: 0031c
"""
import sqlalchemy as sa
from alembic import op

revision = '0032t'
down_revision = '0031c'
branch_labels = None
depends_on = None

BACKFILL = ("UPDATE human_task SET case_kind = c.kind, case_received_at = c.received_at "
            "FROM case_instance AS c WHERE c.id = human_task.case_id")


def upgrade() -> None:
    with op.batch_alter_table('human_task') as batch:
        batch.add_column(sa.Column('case_kind', sa.String(32), nullable=False, server_default=''))
        batch.add_column(sa.Column('case_received_at', sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text(BACKFILL))
    op.create_index('ix_human_task_received', 'human_task',
                    ['case_kind', 'case_received_at', 'bpmn_id', 'state', 'due_at', 'completed_at', 'case_id'])
    if bind.dialect.name == 'postgresql':
        # the update left the pages not all-visible: the index-only scan would read the heap
        with op.get_context().autocommit_block():
            op.execute('VACUUM ANALYZE human_task')


def downgrade() -> None:
    op.drop_index('ix_human_task_received', table_name='human_task')
    with op.batch_alter_table('human_task') as batch:
        batch.drop_column('case_received_at')
        batch.drop_column('case_kind')
