"""internal monev of the PPID Pembantu (issue 16 items 1-3, 5): versioned questionnaires, rounds,
participating units, answers, and evidence files attached to answers

Revision ID: d2e7a1b4c6f0
Revises: 7caa7a1a0f12
Create Date: 2026-12-04 17:53:43.653510

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e7a1b4c6f0'
down_revision = '7caa7a1a0f12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_questionnaire')),
    sa.UniqueConstraint('code', name=op.f('uq_evaluation_questionnaire_code'))
    )
    op.create_table('evaluation_questionnaire_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evaluation_questionnaire_version_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['evaluation_questionnaire.id'], name=op.f('fk_evaluation_questionnaire_version_questionnaire_id_evaluation_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_questionnaire_version')),
    sa.UniqueConstraint('questionnaire_id', 'number', name=op.f('uq_evaluation_questionnaire_version_questionnaire_id_number'))
    )
    with op.batch_alter_table('evaluation_questionnaire_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_questionnaire_version_questionnaire_id'), ['questionnaire_id'], unique=False)

    op.create_table('evaluation_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('scope_unit_id', sa.Integer(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('verify_from', sa.Date(), nullable=False),
    sa.Column('verify_until', sa.Date(), nullable=False),
    sa.Column('objection_from', sa.Date(), nullable=False),
    sa.Column('objection_until', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_evaluation_round_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['unit.id'], name=op.f('fk_evaluation_round_scope_unit_id_unit')),
    sa.ForeignKeyConstraint(['version_id'], ['evaluation_questionnaire_version.id'], name=op.f('fk_evaluation_round_version_id_evaluation_questionnaire_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_round'))
    )
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_round_version_id'), ['version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_round_year'), ['year'], unique=False)

    op.create_table('evaluation_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['evaluation_round.id'], name=op.f('fk_evaluation_participant_round_id_evaluation_round')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_evaluation_participant_submitted_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_evaluation_participant_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_participant')),
    sa.UniqueConstraint('round_id', 'unit_id', name=op.f('uq_evaluation_participant_round_id_unit_id'))
    )
    with op.batch_alter_table('evaluation_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_participant_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_participant_unit_id'), ['unit_id'], unique=False)

    op.create_table('evaluation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['evaluation_participant.id'], name=op.f('fk_evaluation_answer_participant_id_evaluation_participant')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_evaluation_answer_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answer')),
    sa.UniqueConstraint('participant_id', 'question_key', name=op.f('uq_evaluation_answer_participant_id_question_key'))
    )
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answer_participant_id'), ['participant_id'], unique=False)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_answer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_evaluation_answer_id'), ['evaluation_answer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachment_evaluation_answer_id_evaluation_answer'), 'evaluation_answer', ['evaluation_answer_id'], ['id'])



def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachment_evaluation_answer_id_evaluation_answer'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_evaluation_answer_id'))
        batch_op.drop_column('evaluation_answer_id')

    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answer_participant_id'))

    op.drop_table('evaluation_answer')
    with op.batch_alter_table('evaluation_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_participant_unit_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_participant_round_id'))

    op.drop_table('evaluation_participant')
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_round_year'))
        batch_op.drop_index(batch_op.f('ix_evaluation_round_version_id'))

    op.drop_table('evaluation_round')
    with op.batch_alter_table('evaluation_questionnaire_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_questionnaire_version_questionnaire_id'))

    op.drop_table('evaluation_questionnaire_version')
    op.drop_table('evaluation_questionnaire')
