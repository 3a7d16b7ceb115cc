"""an exemption decision may be recorded from a written notice's refusal: the request whose
notice recorded it (issue 15 item 6)

Revision ID: e4b7a1c9d260
Revises: d4e5f6a7b8c9
Create Date: 2026-12-04 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7a1c9d260'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exemption_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_exemption_decision_request_id'), ['request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_exemption_decision_request_id_information_request'),
                                    'information_request', ['request_id'], ['id'])


def downgrade():
    with op.batch_alter_table('exemption_decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exemption_decision_request_id_information_request'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_exemption_decision_request_id'))
        batch_op.drop_column('request_id')
