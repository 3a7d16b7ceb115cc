"""Calendar version: a token every calendar change replaces, so that each worker may keep the
holidays in memory and still see a change made by another worker or server (issue 17 item 2)

Revision ID: 10862896f732
Revises: ffb0cd2f5537
Create Date: 2026-12-04 21:00:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '10862896f732'
down_revision = 'ffb0cd2f5537'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'calendar_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('calendar_version')
