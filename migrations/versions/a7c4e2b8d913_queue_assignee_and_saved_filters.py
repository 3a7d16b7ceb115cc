"""the desk queue: a request's assigned officer (assignee_id) and each officer's saved queue filters

Revision ID: a7c4e2b8d913
Revises: e3a9c6d21f48
Create Date: 2026-12-04 14:58:56.715336

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c4e2b8d913'
down_revision = 'e3a9c6d21f48'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_queue_filter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_saved_queue_filter_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_queue_filter')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_saved_queue_filter_user_id_name'))
    )
    with op.batch_alter_table('saved_queue_filter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_queue_filter_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_information_request_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_information_request_assignee_id_user_account'), 'user_account', ['assignee_id'], ['id'])



def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_information_request_assignee_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_information_request_assignee_id'))
        batch_op.drop_column('assignee_id')

    with op.batch_alter_table('saved_queue_filter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_queue_filter_user_id'))

    op.drop_table('saved_queue_filter')
