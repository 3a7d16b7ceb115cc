"""the daily view counter of the Daftar Informasi Publik's items (issue 15 item 9: the home page's
"most viewed"): one row per item and body-local day

Revision ID: a4d8e2f6b913
Revises: e4b7a1c9d260
Create Date: 2026-12-04 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d8e2f6b913'
down_revision = 'e4b7a1c9d260'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dip_item_view',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['information_item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('item_id', 'day'),
    )
    with op.batch_alter_table('dip_item_view', schema=None) as batch_op:
        batch_op.create_index('ix_dip_item_view_day', ['day', 'item_id', 'views'], unique=False)


def downgrade():
    with op.batch_alter_table('dip_item_view', schema=None) as batch_op:
        batch_op.drop_index('ix_dip_item_view_day')
    op.drop_table('dip_item_view')
