"""the written notice's promised delivery date (provide_by) on the request, and the sweep's memory of it

Revision ID: e3a9c6d21f48
Revises: b7e2f4a91c30
Create Date: 2026-12-04 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c6d21f48'
down_revision = 'e4a1c7d2b905'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provide_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('provide_reminded_for', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('provide_lapsed_for', sa.Date(), nullable=True))
        batch_op.create_index('ix_information_request_status_provide_by', ['status', 'provide_by'], unique=False)


def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_status_provide_by')
        batch_op.drop_column('provide_lapsed_for')
        batch_op.drop_column('provide_reminded_for')
        batch_op.drop_column('provide_by')
