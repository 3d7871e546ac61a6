"""letter numbers counted per number prefix and year (data only)

Letters now go out in the deciding department's name with its own prefixes, and a
department may use one prefix for several letter types; numbers are therefore counted per
prefix (`letter-no:<prefix>`) instead of per letter type (`letter:<type>`). The new counters
start where the letters already issued under each prefix end, so no number repeats.

Revision ID: 0013n
Revises: 0013o
"""
import sqlalchemy as sa
from alembic import op

revision = '0013n'
down_revision = '0013o'
branch_labels = None
depends_on = None

SERIES = 'letter-no:'
letter = sa.table('letter', sa.column('number', sa.String), sa.column('year', sa.Integer),
                  sa.column('serial', sa.Integer))
sequence = sa.table('number_sequence', sa.column('series', sa.String), sa.column('period', sa.String),
                    sa.column('last_value', sa.Integer))


def upgrade() -> None:
    bind = op.get_bind()
    highest: dict[tuple[str, str], int] = {}
    rows = bind.execute(sa.select(letter.c.number, letter.c.year, letter.c.serial).where(letter.c.serial.isnot(None)))
    for number, year, serial in rows:
        key = (SERIES + number.split('〔', 1)[0], str(year))  # 泉信用修〔2026〕12号 → 泉信用修
        highest[key] = max(highest.get(key, 0), serial)
    if highest:
        op.bulk_insert(sequence, [{'series': series, 'period': period, 'last_value': value}
                                  for (series, period), value in sorted(highest.items())])


def downgrade() -> None:
    op.execute(sequence.delete().where(sequence.c.series.like(SERIES + '%')))
