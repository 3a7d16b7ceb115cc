"""units form a tree with head, contact and notice flag

Units get their head's name and position, a contact e-mail and whether they may issue written
notices themselves (a PPID Pelaksana); an index on ``parent_id`` serves the subtree walk.

Revision ID: 3c1f0e7a9b52
Revises: 28f94b26cfc9
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1f0e7a9b52'
down_revision = '28f94b26cfc9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('head_position', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('issues_notices', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index('ix_unit_parent', ['parent_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_parent')
        batch_op.drop_column('issues_notices')
        batch_op.drop_column('email')
        batch_op.drop_column('head_position')
        batch_op.drop_column('head_name')
