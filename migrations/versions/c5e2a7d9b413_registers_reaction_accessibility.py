"""registers: the objection's representative identity and the applicant's reaction; a request's accessibility needs

Revision ID: c5e2a7d9b413
Revises: 64833aec2152
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5e2a7d9b413'
down_revision = '64833aec2152'
branch_labels = None
depends_on = None

ACCESSIBILITY_WHERE = 'accessibility_needs IS NOT NULL'


def upgrade():
    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('representative_contact', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('reaction', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('reaction_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reaction_note', sa.Text(), nullable=True))

    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessibility_needs', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('accessibility_note', sa.Text(), nullable=True))
        batch_op.create_index('ix_information_request_accessibility',
                              ['receipt_date', 'status', 'accessibility_needs'], unique=False,
                              sqlite_where=sa.text(ACCESSIBILITY_WHERE),
                              postgresql_where=sa.text(ACCESSIBILITY_WHERE))


def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_index('ix_information_request_accessibility',
                            sqlite_where=sa.text(ACCESSIBILITY_WHERE),
                            postgresql_where=sa.text(ACCESSIBILITY_WHERE))
        batch_op.drop_column('accessibility_note')
        batch_op.drop_column('accessibility_needs')

    with op.batch_alter_table('objection', schema=None) as batch_op:
        batch_op.drop_column('reaction_note')
        batch_op.drop_column('reaction_on')
        batch_op.drop_column('reaction')
        batch_op.drop_column('representative_contact')
        batch_op.drop_column('representative_address')
