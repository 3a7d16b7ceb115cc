"""Outbox messages rendered by the sender: a message may be queued as a template and the values
it is rendered with (body empty until the sender renders it), so filing a request no longer
renders its receipt e-mail inside the web request (issue 17 item 1)

Revision ID: 9d750b1640cc
Revises: 8defa3d1ce10
Create Date: 2026-12-04 23:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '9d750b1640cc'
down_revision = '8defa3d1ce10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=True)


def downgrade():
    # A message still waiting to be rendered cannot keep an empty body: mark it for the officers
    # (its values are dropped with the columns), rather than lose the row.
    op.execute("UPDATE outbox_message SET body = '[belum dirender; versi diturunkan]' WHERE body IS NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('locale')
        batch_op.drop_column('context')
        batch_op.drop_column('template')
