"""the results of an internal monev round published by PPID Utama (issue 16 item 6): when and by
whom; None while the results are not public

Revision ID: ad44d7b5a92e
Revises: 8f2c6a4e0d17
Create Date: 2026-12-04 20:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ad44d7b5a92e'
down_revision = '8f2c6a4e0d17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('results_published_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_round_results_published_by_id_user_account'),
                                    'user_account', ['results_published_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evaluation_round_results_published_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('results_published_by_id')
        batch_op.drop_column('results_published_at')
