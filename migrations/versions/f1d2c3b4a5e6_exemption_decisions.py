"""exemption decisions: the register of exempt information (DIK) and its number pattern
(issue 15 item 5)

Revision ID: f1d2c3b4a5e6
Revises: a7c4e2b8d913
Create Date: 2026-12-04 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1d2c3b4a5e6'
down_revision = 'a7c4e2b8d913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exemption_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('pasal17_letter', sa.String(length=1), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('harm', sa.Text(), nullable=False),
    sa.Column('public_interest', sa.Text(), nullable=False),
    sa.Column('weighing', sa.Text(), nullable=False),
    sa.Column('period', sa.String(length=120), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('official_name', sa.String(length=200), nullable=False),
    sa.Column('official_position', sa.String(length=200), nullable=False),
    sa.Column('official_nip', sa.String(length=18), nullable=False),
    sa.Column('decided_place', sa.String(length=120), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('returned_reason', sa.Text(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_exemption_decision_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_exemption_decision_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_exemption_decision_revoked_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_exemption_decision_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemption_decision')),
    sa.UniqueConstraint('number', name=op.f('uq_exemption_decision_number'))
    )
    with op.batch_alter_table('exemption_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemption_decision_ends_on'), ['ends_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_exemption_decision_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_exemption_decision_unit_id'), ['unit_id'], unique=False)

    # An existing profile gets the configuration default (ppid_desk/config.py), then NOT NULL.
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exemption_number_pattern', sa.String(length=64), nullable=True))
    op.execute("UPDATE body_profile SET exemption_number_pattern = '{seq4}/PPID-DIK/{year}'")
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.alter_column('exemption_number_pattern', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('body_profile', schema=None) as batch_op:
        batch_op.drop_column('exemption_number_pattern')

    with op.batch_alter_table('exemption_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemption_decision_unit_id'))
        batch_op.drop_index(batch_op.f('ix_exemption_decision_status'))
        batch_op.drop_index(batch_op.f('ix_exemption_decision_ends_on'))

    op.drop_table('exemption_decision')
