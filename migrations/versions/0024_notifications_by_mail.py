"""Notifications by e-mail and SMS: the recipients' addresses and choices, the delivery outbox,
the reminders given (once per task and day), and what each notification waits for.

Revision ID: 0023n
Revises: 0023s
"""
import sqlalchemy as sa
from alembic import op

revision = '0023n'
down_revision = '0023s'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('email', sa.String(254), nullable=True))
        batch.add_column(sa.Column('mobile', sa.String(20), nullable=True))
        batch.add_column(sa.Column('email_off', sa.JSON(), nullable=True))
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('delivery', sa.String(8), nullable=False, server_default='pending'))
        batch.add_column(sa.Column('letter_id', BigId, nullable=True))
        batch.create_index(batch.f('ix_notification_delivery'), ['delivery'], unique=False)
    op.execute("UPDATE notification SET delivery = 'done'")  # older notices were in-app only
    op.create_table(
        'notification_delivery',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('notification_id', BigId, sa.ForeignKey('notification.id'), nullable=True),
        sa.Column('channel', sa.String(8), nullable=False),
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('address', sa.String(254), nullable=False),
        sa.Column('subject', sa.String(200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('case_id', BigId, nullable=True),
        sa.Column('letter_id', BigId, nullable=True),
        sa.Column('status', sa.String(8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_notification_delivery_due', 'notification_delivery', ['status', 'next_attempt_at'])
    op.create_index(op.f('ix_notification_delivery_notification_id'), 'notification_delivery', ['notification_id'])
    op.create_table(
        'task_reminder',
        sa.Column('task_id', sa.String(36), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('kind', sa.String(16), primary_key=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('task_reminder')
    op.drop_index(op.f('ix_notification_delivery_notification_id'), table_name='notification_delivery')
    op.drop_index('ix_notification_delivery_due', table_name='notification_delivery')
    op.drop_table('notification_delivery')
    with op.batch_alter_table('notification') as batch:
        batch.drop_index(batch.f('ix_notification_delivery'))
        batch.drop_column('letter_id')
        batch.drop_column('delivery')
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('email_off')
        batch.drop_column('mobile')
        batch.drop_column('email')
