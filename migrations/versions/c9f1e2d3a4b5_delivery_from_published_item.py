"""a delivery may answer a request with an item already in the Daftar Informasi Publik (issue 15
item 8): the item it points to

Revision ID: c9f1e2d3a4b5
Revises: b8e6d4c2a071
Create Date: 2026-12-04 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9f1e2d3a4b5'
down_revision = 'b8e6d4c2a071'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_item_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_delivery_published_item_id'), ['published_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_delivery_published_item_id_information_item'),
                                    'information_item', ['published_item_id'], ['id'])


def downgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_delivery_published_item_id_information_item'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_delivery_published_item_id'))
        batch_op.drop_column('published_item_id')
