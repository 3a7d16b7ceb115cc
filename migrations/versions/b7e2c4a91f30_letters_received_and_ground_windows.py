"""letters received (how sent, received day) and an objection's window per ground

The written notice, the extension and the Atasan's response record how they were sent and the day
the applicant received them; an objection stores the filing window of each chosen ground and the
day ground b was found, and its governing window may be unknown (a letter's receipt not recorded).

Revision ID: b7e2c4a91f30
Revises: c0a7d2e5b913
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c4a91f30'
down_revision = 'c0a7d2e5b913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_sent_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('notice_received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extension_sent_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('extension_received_on', sa.Date(), nullable=True))
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ground_windows', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('periodic_found_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('response_sent_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('response_received_on', sa.Date(), nullable=True))
        batch_op.alter_column('ground_date', existing_type=sa.Date(), nullable=True)
        batch_op.alter_column('filing_due', existing_type=sa.Date(), nullable=True)


def downgrade():
    # An objection whose window was unknown counts, once more, from its filing day.
    op.execute(sa.text("UPDATE objection SET ground_date = filed_date WHERE ground_date IS NULL"))
    op.execute(sa.text("UPDATE objection SET filing_due = filed_date WHERE filing_due IS NULL"))
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.alter_column('filing_due', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('ground_date', existing_type=sa.Date(), nullable=False)
        batch_op.drop_column('response_received_on')
        batch_op.drop_column('response_sent_via')
        batch_op.drop_column('periodic_found_on')
        batch_op.drop_column('ground_windows')
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_column('extension_received_on')
        batch_op.drop_column('extension_sent_via')
        batch_op.drop_column('notice_received_on')
        batch_op.drop_column('notice_sent_via')
