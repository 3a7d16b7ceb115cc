"""official letters: the numbered extension letter and withdrawal confirmation, their number
patterns, and the proof of a completeness letter's hand-over (issue 13 item 4)

Requests extended or withdrawn before this revision keep no numbered letter (their e-mail was
the letter); every extension and withdrawal from now on gets one.

Revision ID: c3d5e7f9a1b2
Revises: b7e2f4a91c30
Create Date: 2026-12-04 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d5e7f9a1b2'
down_revision = 'b7e2f4a91c30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('official_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('signature', sa.JSON(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('sent_via', sa.String(length=16), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('proof_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_official_letter_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['proof_id'], ['attachment.id'], name=op.f('fk_official_letter_proof_id_attachment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_official_letter_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['information_request.id'], name=op.f('fk_official_letter_request_id_information_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_letter')),
    sa.UniqueConstraint('number', name=op.f('uq_official_letter_number'))
    )
    with op.batch_alter_table('official_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_letter_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('completeness_letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_proof_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_completeness_letter_handover_proof_id_attachment'),
                                    'attachment', ['handover_proof_id'], ['id'])

    # An existing profile gets the configuration defaults (ppid_desk/config.py), then NOT NULL.
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extension_number_pattern', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_number_pattern', sa.String(length=64), nullable=True))
    op.execute("UPDATE body_profile SET extension_number_pattern = '{seq4}/PPID-PJ/{month_roman}/{year}', "
               "withdrawal_number_pattern = '{seq4}/PPID-CB/{month_roman}/{year}'")
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.alter_column('extension_number_pattern', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('withdrawal_number_pattern', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_number_pattern')
        batch_op.drop_column('extension_number_pattern')

    with op.batch_alter_table('completeness_letter', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_completeness_letter_handover_proof_id_attachment'), type_='foreignkey')
        batch_op.drop_column('handover_proof_id')

    with op.batch_alter_table('official_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_letter_request_id'))

    op.drop_table('official_letter')
