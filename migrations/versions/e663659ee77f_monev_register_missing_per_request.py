"""Monev: each request keeps the register's completeness facts (``register_missing``, the bitmask of
the mandatory register columns its row misses), at the end of the covering index, so the metric
set counts complete rows per mask instead of re-deriving every row's facts from its texts
(issue 17 item 3). Backfilled from the definition (``monev.register_quality``).

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


def upgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('register_missing', sa.Integer(), server_default='0', nullable=False))
    # Most rows miss nothing (0, the default): only the others are written.
    op.execute(f"UPDATE information_request SET register_missing = {MASK} WHERE coalesce({MASK}, 0) <> 0")
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_monev')
        batch_op.create_index('ix_information_request_monev', [*MONEV_COLUMNS, 'register_missing'], unique=False)


def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_monev')
        batch_op.create_index('ix_information_request_monev', MONEV_COLUMNS, unique=False)
        batch_op.drop_column('register_missing')
