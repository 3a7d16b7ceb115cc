"""completeness letters (incomplete notice, closed as not completed), the completion period's
last day on the request, and the number patterns of both letters (issue 13 item 7)

Revision ID: 64833aec2152
Revises: b7e2c4a91f30
Create Date: 2026-12-04 09:50:57.955045

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '64833aec2152'
down_revision = 'b7e2c4a91f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completeness_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('missing_items', sa.Text(), nullable=False),
    sa.Column('completion_wd', sa.Integer(), nullable=False),
    sa.Column('completion_due', sa.Date(), nullable=False),
    sa.Column('signature', sa.JSON(), nullable=True),
    sa.Column('handover_method', sa.String(length=16), nullable=True),
    sa.Column('handed_over_on', sa.Date(), nullable=True),
    sa.Column('handover_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handover_recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handover_recorded_by_id'], ['user_account.id'], name=op.f('fk_completeness_letter_handover_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_completeness_letter_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['information_request.id'], name=op.f('fk_completeness_letter_request_id_information_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completeness_letter')),
    sa.UniqueConstraint('number', name=op.f('uq_completeness_letter_number'))
    )
    with op.batch_alter_table('completeness_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completeness_letter_request_id'), ['request_id'], unique=False)

    # An existing profile gets the configuration defaults (ppid_desk/config.py), then NOT NULL.
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incomplete_number_pattern', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('not_completed_number_pattern', sa.String(length=64), nullable=True))
    op.execute("UPDATE body_profile SET incomplete_number_pattern = '{seq4}/PPID-KL/{month_roman}/{year}', "
               "not_completed_number_pattern = '{seq4}/PPID-TD/{month_roman}/{year}'")
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.alter_column('incomplete_number_pattern', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('not_completed_number_pattern', existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_due', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_column('completion_due')

    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.drop_column('not_completed_number_pattern')
        batch_op.drop_column('incomplete_number_pattern')

    with op.batch_alter_table('completeness_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completeness_letter_request_id'))

    op.drop_table('completeness_letter')
