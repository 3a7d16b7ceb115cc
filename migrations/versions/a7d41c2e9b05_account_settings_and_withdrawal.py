"""account settings (address, pending e-mail, deletion) and objection withdrawal

A citizen edits an address on the account, changes the e-mail through a link sent to the new
address (``pending_email`` until it is followed) and may delete the account (``deleted_at``: the
row stays, anonymised and inactive, because events name it). An objection records the moment it
was withdrawn (``withdrawn_at``), which stops the Atasan PPID's response clock.

Revision ID: a7d41c2e9b05
Revises: 3c1f0e7a9b52
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d41c2e9b05'
down_revision = '3c1f0e7a9b52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('pending_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('pending_email')
        batch_op.drop_column('address')
