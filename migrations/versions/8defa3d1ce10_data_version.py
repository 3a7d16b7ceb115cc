"""Data version: a token every committed write replaces, so that each worker may keep rendered
pages and the body profile in memory and still see a change made by another worker or server
(issue 17 items 1 and 2)

Revision ID: 8defa3d1ce10
Revises: 10862896f732
Create Date: 2026-12-05 00:00:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '8defa3d1ce10'
down_revision = '10862896f732'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_version')
