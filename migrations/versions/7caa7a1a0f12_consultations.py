"""consultations: the log of consultations and other non-formal information services, linked
to the request one became (issue 16 item 9)

Revision ID: 7caa7a1a0f12
Revises: 5b3e9d7f1a26
Create Date: 2026-12-04 17:52:01.512556

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7caa7a1a0f12'
down_revision = '5b3e9d7f1a26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=24), nullable=False),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('contact_consent', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.Text(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=True),
    sa.Column('contact_purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('converted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('converted_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['converted_by_id'], ['user_account.id'], name=op.f('fk_consultation_converted_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_consultation_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['officer_id'], ['user_account.id'], name=op.f('fk_consultation_officer_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['information_request.id'], name=op.f('fk_consultation_request_id_information_request')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_consultation_unit_id_unit')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_consultation_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    sa.UniqueConstraint('request_id', name=op.f('uq_consultation_request_id'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_resolution'), ['resolution'], unique=False)
        batch_op.create_index('ix_consultation_unit_day', ['unit_id', 'occurred_on'], unique=False)



def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_unit_day')
        batch_op.drop_index(batch_op.f('ix_consultation_resolution'))
        batch_op.drop_index(batch_op.f('ix_consultation_occurred_on'))

    op.drop_table('consultation')
