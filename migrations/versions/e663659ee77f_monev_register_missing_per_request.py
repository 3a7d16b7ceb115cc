"""Monev: each request keeps the register's completeness facts (``register_missing``, the bitmask of
the mandatory register columns its row misses), at the end of the covering index, so the metric
set counts complete rows per mask instead of re-deriving every row's facts from its texts
(backfilled from the definition, ``monev.register_quality``); and the daily tallies are kept per
set of units too (``monev_unit_set``, a ``scope`` in the histogram and register tallies), so one
unit's metric set reads tallies as the whole body's does (issue 17 item 3). The tallies are a
cache: their tables are made again, keyed for these reads, and every day is re-summed on next
use (the sweep).

Revision ID: e663659ee77f
Revises: 1f4ab3db82f3
Create Date: 2026-12-05 02:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e663659ee77f'
down_revision = '1f4ab3db82f3'
branch_labels = None
depends_on = None

MONEV_COLUMNS = ['receipt_date', 'status', 'channel', 'outcome', 'pasal17_basis', 'notice_on', 'notice_due',
                 'legal_due', 'extended_due', 'extended_on', 'due_date', 'fee_amount', 'delivered_on', 'routed_on']

# monev.register_quality.missing_mask() as of this revision (bit i: MANDATORY_COLUMNS[i]), correlated
# with the row being updated. Written out: a migration must not change with the code after it.
MASK = """(SELECT
    CASE WHEN coalesce(trim(information_request.number), '') = '' THEN 1 ELSE 0 END
  + CASE WHEN information_request.receipt_date IS NULL THEN 2 ELSE 0 END
  + CASE WHEN coalesce(trim(applicant.name), '') = '' THEN 4 ELSE 0 END
  + CASE WHEN coalesce(trim(applicant.address), '') = '' THEN 8 ELSE 0 END
  + CASE WHEN coalesce(trim(applicant.phone), '') = '' AND coalesce(trim(applicant.email), '') = '' THEN 16 ELSE 0 END
  + CASE WHEN coalesce(trim(applicant.occupation), '') = '' THEN 32 ELSE 0 END
  + CASE WHEN coalesce(trim(information_request.rincian), '') = '' THEN 64 ELSE 0 END
  + CASE WHEN coalesce(trim(information_request.tujuan), '') = '' THEN 128 ELSE 0 END
  + CASE WHEN coalesce(trim(information_request.access_method), '') = '' THEN 256 ELSE 0 END
  + CASE WHEN information_request.notice_at IS NOT NULL
              AND coalesce(trim(information_request.outcome), '') = '' THEN 512 ELSE 0 END
  + CASE WHEN information_request.notice_at IS NOT NULL AND written_notice.id IS NULL THEN 1024 ELSE 0 END
  + CASE WHEN information_request.notice_at IS NOT NULL AND coalesce(information_request.outcome, '') = 'refused'
              AND coalesce(trim(information_request.pasal17_basis), '') = '' THEN 2048 ELSE 0 END
  + CASE WHEN information_request.notice_at IS NOT NULL AND coalesce(information_request.fee_amount, 0) > 0
              AND (written_notice.id IS NULL OR coalesce(trim(written_notice.payment_method), '') = '')
         THEN 4096 ELSE 0 END
  + CASE WHEN information_request.extended_due IS NOT NULL
              AND coalesce(trim(information_request.extension_reason), '') = '' THEN 8192 ELSE 0 END
  + CASE WHEN information_request.delivered_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM delivery WHERE delivery.request_id = information_request.id)
         THEN 16384 ELSE 0 END
  FROM applicant LEFT OUTER JOIN written_notice ON written_notice.request_id = information_request.id
  WHERE applicant.id = information_request.applicant_id)"""


def _tally_tables(scoped: bool) -> None:
    """The tally tables, keyed as of this revision (``scoped``: a unit set's ``scope`` first, and
    the kind and unit before the day) or as before it."""
    tally_key = (['kind', 'unit_id', 'day'] if scoped else ['day', 'kind', 'unit_id']) + [
        'status', 'channel', 'outcome', 'pasal17_basis']
    tally_columns = {
        'day': sa.Column('day', sa.Date(), nullable=False),
        'kind': sa.Column('kind', sa.String(length=8), nullable=False),
        'unit_id': sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    }
    op.create_table('monev_tally',
                    *[tally_columns[name] for name in tally_key[:3]],
                    sa.Column('status', sa.String(length=16), nullable=False),
                    sa.Column('channel', sa.String(length=16), nullable=False),
                    sa.Column('outcome', sa.String(length=24), nullable=False),
                    sa.Column('pasal17_basis', sa.String(length=32), nullable=False),
                    *[sa.Column(name, sa.Integer(), nullable=False)
                      for name in ('total', 'ot10', 'legal', 'extended', 'valid_ext', 'refused', 'refusal_ok',
                                   'with_fee', 'answered', 'answered_on_time')],
                    sa.PrimaryKeyConstraint(*tally_key, name=op.f('pk_monev_tally')))

    def scope() -> list:
        return [sa.Column('scope', sa.Integer(), autoincrement=False, nullable=False)] if scoped else []

    op.create_table('monev_tally_duration',
                    *scope(), sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('series', sa.String(length=16), nullable=False),
                    sa.Column('value', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint(*(['scope'] if scoped else []), 'day', 'series', 'value',
                                            name=op.f('pk_monev_tally_duration')))
    op.create_table('monev_tally_register',
                    *scope(), sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('column', sa.String(length=32), nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint(*(['scope'] if scoped else []), 'day', 'column',
                                            name=op.f('pk_monev_tally_register')))


def _forget_tallies() -> None:
    """The tallies are a cache: dropped with every day's mark, re-summed on next use (the sweep)."""
    op.execute("DELETE FROM monev_tally_day")
    op.drop_table('monev_tally_register')
    op.drop_table('monev_tally_duration')
    op.drop_table('monev_tally')


def upgrade():
    op.create_table('monev_unit_set',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('units', sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_monev_unit_set')),
                    sa.UniqueConstraint('units', name=op.f('uq_monev_unit_set_units')))
    _forget_tallies()
    _tally_tables(scoped=True)
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('register_missing', sa.Integer(), server_default='0', nullable=False))
    # Most rows miss nothing (0, the default): only the others are written.
    op.execute(f"UPDATE information_request SET register_missing = {MASK} WHERE coalesce({MASK}, 0) <> 0")
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_monev')
        batch_op.create_index('ix_information_request_monev', [*MONEV_COLUMNS, 'register_missing'], unique=False)


def downgrade():
    _forget_tallies()
    _tally_tables(scoped=False)
    op.drop_table('monev_unit_set')
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_monev')
        batch_op.create_index('ix_information_request_monev', MONEV_COLUMNS, unique=False)
        batch_op.drop_column('register_missing')
