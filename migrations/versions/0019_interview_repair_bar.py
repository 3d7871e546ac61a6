"""interview repair bar: the day until which an unjustified refusal to attend an interview bars repair

An interview record of category `refused` (无正当理由拒不参加约谈) now carries the day its bar
ends — repair may be asked from that day — (DMN `interview_rules`, from the refusal date); a justified absence (`absent_justified`) none.
Refusals recorded before this revision were all recorded as unjustified: they get the shipped
default bar of 12 months from their date.

Revision ID: 0019i
Revises: 0018r
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '0019i'
down_revision = '0018r'
branch_labels = None
depends_on = None

DEFAULT_BAR_MONTHS = 12  # bpmn/rules/interview_rules.dmn as shipped with this revision


def upgrade() -> None:
    with op.batch_alter_table('credit_record') as batch:
        batch.add_column(sa.Column('bars_repair_until', sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, decision_date FROM credit_record "
                                "WHERE kind = 'interview_record' AND category = 'refused'")).all()
    for record_id, decided in rows:
        decided = decided if isinstance(decided, date) else date.fromisoformat(str(decided)[:10])
        bind.execute(sa.text("UPDATE credit_record SET bars_repair_until = :until WHERE id = :id"),
                     {"until": _months_later(decided, DEFAULT_BAR_MONTHS), "id": record_id})


def downgrade() -> None:
    with op.batch_alter_table('credit_record') as batch:
        batch.drop_column('bars_repair_until')


def _months_later(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
