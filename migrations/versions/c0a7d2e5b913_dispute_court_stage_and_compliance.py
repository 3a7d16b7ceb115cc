"""dispute: the KI's decision as a record, the court stage (PTUN/PN, kasasi at the MA) and the
body's compliance with the final decision (issue 13, item 9)

Revision ID: c0a7d2e5b913
Revises: a41c7e93d2b5
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0a7d2e5b913'
down_revision = 'a41c7e93d2b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ki_decision', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('ki_decision_received_body', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ki_decision_received_applicant', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('compliance', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('compliance_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('compliance_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('compliance_proof', sa.String(length=200), nullable=True))

    op.create_table('dispute_court_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('court', sa.String(length=8), nullable=False),
    sa.Column('court_name', sa.String(length=200), nullable=False),
    sa.Column('appellant', sa.String(length=16), nullable=False),
    sa.Column('case_number', sa.String(length=100), nullable=True),
    sa.Column('filed_date', sa.Date(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_received_body', sa.Date(), nullable=True),
    sa.Column('decision_received_applicant', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], name=op.f('fk_dispute_court_case_dispute_id_dispute')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_dispute_court_case_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_court_case')),
    sa.UniqueConstraint('dispute_id', 'tier', name=op.f('uq_dispute_court_case_dispute_id_tier'))
    )
    with op.batch_alter_table('dispute_court_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_court_case_dispute_id'), ['dispute_id'], unique=False)

    op.create_table('dispute_court_hearing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('court_case_id', sa.Integer(), nullable=False),
    sa.Column('hearing_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['court_case_id'], ['dispute_court_case.id'], name=op.f('fk_dispute_court_hearing_court_case_id_dispute_court_case')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_dispute_court_hearing_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_court_hearing'))
    )
    with op.batch_alter_table('dispute_court_hearing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_court_hearing_court_case_id'), ['court_case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('dispute_court_hearing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_court_hearing_court_case_id'))

    op.drop_table('dispute_court_hearing')
    with op.batch_alter_table('dispute_court_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_court_case_dispute_id'))

    op.drop_table('dispute_court_case')
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_column('compliance_proof')
        batch_op.drop_column('compliance_note')
        batch_op.drop_column('compliance_date')
        batch_op.drop_column('compliance')
        batch_op.drop_column('ki_decision_received_applicant')
        batch_op.drop_column('ki_decision_received_body')
        batch_op.drop_column('ki_decision')
