"""an item of the Daftar Informasi Publik may be an answer published from a request (issue 15
item 7): the request it came from, an anonymous summary of that request, and the first day it may be
public (an approved answer waits as "scheduled" until then)

Revision ID: d4e5f6a7b8c9
Revises: c9f1e2d3a4b5
Create Date: 2026-12-04 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c9'
down_revision = 'c9f1e2d3a4b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('information_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('request_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('publish_after', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_information_item_source_request_id'), ['source_request_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_information_item_source_request_id_information_request'),
                                    'information_request', ['source_request_id'], ['id'])


def downgrade():
    with op.batch_alter_table('information_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_information_item_source_request_id_information_request'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_information_item_source_request_id'))
        batch_op.drop_column('publish_after')
        batch_op.drop_column('request_summary')
        batch_op.drop_column('source_request_id')
