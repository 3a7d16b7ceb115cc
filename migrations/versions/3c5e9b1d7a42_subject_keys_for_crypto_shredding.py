"""subject keys for crypto-shredding personal values in the event log

Each applicant gets a key (encrypted with the data key) under which the personal values of the
hash-chained event log are sealed; `flask ppid purge` deletes it (ppid_desk/audit/personal.py).
Events written before this revision are not rewritten: their hashes cover their plain values.

Revision ID: 3c5e9b1d7a42
Revises: 77c2fac88392
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e9b1d7a42'
down_revision = '77c2fac88392'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subject_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['applicant.id'], name=op.f('fk_subject_key_applicant_id_applicant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_key'))
    )
    with op.batch_alter_table('subject_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_key_applicant_id'), ['applicant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('subject_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_key_applicant_id'))

    op.drop_table('subject_key')
