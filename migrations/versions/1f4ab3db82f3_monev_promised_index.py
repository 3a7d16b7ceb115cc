"""Monev: a partial covering index of the requests whose notice promised a day (``provide_by``),
so the late-delivery figures read those few index entries instead of every request row of the
period (issue 17 item 3)

Revision ID: 1f4ab3db82f3
Revises: 9d750b1640cc
Create Date: 2026-12-04 23:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '1f4ab3db82f3'
down_revision = '9d750b1640cc'
branch_labels = None
depends_on = None

PROMISED_WHERE = 'provide_by IS NOT NULL'


def upgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.create_index('ix_information_request_promised',
                              ['receipt_date', 'status', 'provide_by', 'delivered_on'], unique=False,
                              sqlite_where=sa.text(PROMISED_WHERE), postgresql_where=sa.text(PROMISED_WHERE))


def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_promised',
                            sqlite_where=sa.text(PROMISED_WHERE), postgresql_where=sa.text(PROMISED_WHERE))
