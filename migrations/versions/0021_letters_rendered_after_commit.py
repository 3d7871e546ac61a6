"""letters rendered after the commit: a letter is `pending` until its PDF and sha256 are archived

The step that issues a letter fixes its number, type, issuer and context; the PDF is rendered
afterwards by a background worker. Letters already archived become `issued`. Outbox events
remember the last letter of their step so the feed can wait for it.

Revision ID: 0020l
Revises: 0019c (0018r in the brief; re-chained after merging main)
"""
import sqlalchemy as sa
from alembic import op

revision = '0020l'
down_revision = '0019c'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='issued'))
        batch_op.add_column(sa.Column('render_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('render_error', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_render_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index('ix_letter_status_next_render', ['status', 'next_render_at'], unique=False)
    op.execute("UPDATE letter SET rendered_at = issued_at")
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_id', BigId, nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_event_letter_id'), ['letter_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_letter_id'))
        batch_op.drop_column('letter_id')
    op.execute("DELETE FROM letter WHERE status <> 'issued'")  # no bytes to keep: they were never rendered
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_status_next_render')
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        for column in ('next_render_at', 'rendered_at', 'render_error', 'render_attempts', 'status'):
            batch_op.drop_column(column)
