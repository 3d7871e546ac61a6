"""Quarterly statistics reports (季度工作情况), archived with their sha256, and the index the
statistics count cases and judge deadlines from (issue 18).

Revision ID: 0026t
Revises: 0023w
"""
import sqlalchemy as sa
from alembic import op

revision = '0026t'
down_revision = '0023w'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'statistics_report',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('department_code', sa.String(length=32), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('generated_by', sa.String(length=64), nullable=False),
        sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_statistics_report_department_code', 'statistics_report', ['department_code'])
    op.create_index('ix_case_statistics', 'case_instance',
                    ['kind', 'received_at', 'status', 'outcome', 'closed_at', 'department_code'])
    op.create_index('ix_record_repair_rate', 'credit_record',
                    ['publicity_max_end', 'kind', 'non_repairable', 'category_non_repairable', 'publicity_min_end',
                     'publicity_start', 'department_code', 'regime'])
    op.create_index('ix_human_task_statistics', 'human_task', ['case_id', 'bpmn_id', 'state', 'due_at', 'completed_at'])


def downgrade() -> None:
    op.drop_index('ix_human_task_statistics', table_name='human_task')
    op.drop_index('ix_record_repair_rate', table_name='credit_record')
    op.drop_index('ix_case_statistics', table_name='case_instance')
    op.drop_index('ix_statistics_report_department_code', table_name='statistics_report')
    op.drop_table('statistics_report')
