"""a written notice's consequence test may cite an exemption decision of the register of exempt
information (issue 15 item 6)

Revision ID: b8e6d4c2a071
Revises: d1a7c3e5f802
Create Date: 2026-12-04 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e6d4c2a071'
down_revision = 'd1a7c3e5f802'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consequence_test', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exemption_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consequence_test_exemption_id'), ['exemption_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consequence_test_exemption_id_exemption_decision'),
                                    'exemption_decision', ['exemption_id'], ['id'])


def downgrade():
    with op.batch_alter_table('consequence_test', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consequence_test_exemption_id_exemption_decision'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consequence_test_exemption_id'))
        batch_op.drop_column('exemption_id')
