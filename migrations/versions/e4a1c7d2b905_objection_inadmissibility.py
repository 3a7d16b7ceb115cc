"""objection: the Atasan PPID's decision that an objection is inadmissible (its basis, the reason text)

Revision ID: e4a1c7d2b905
Revises: b7e2f4a91c30
Create Date: 2026-12-04 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a1c7d2b905'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inadmissibility', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('not_applicant_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_column('not_applicant_reason')
        batch_op.drop_column('inadmissibility')
