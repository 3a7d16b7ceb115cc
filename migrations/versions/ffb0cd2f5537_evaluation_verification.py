"""verification of the internal monev's answers (issue 16 item 5): the verifier's latest decision
and comment and the unit's latest response on each answer; the units' objections (sanggahan) and
their decisions

Revision ID: ffb0cd2f5537
Revises: ad44d7b5a92e
Create Date: 2026-12-04 20:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ffb0cd2f5537'
down_revision = 'ad44d7b5a92e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_comment', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('response', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('responded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_answer_reviewed_by_id_user_account'),
                                    'user_account', ['reviewed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_answer_responded_by_id_user_account'),
                                    'user_account', ['responded_by_id'], ['id'])
    op.create_table(
        'evaluation_objection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('against', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filed_by_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['answer_id'], ['evaluation_answer.id'],
                                name=op.f('fk_evaluation_objection_answer_id_evaluation_answer')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_evaluation_objection_decided_by_id_user_account')),
        sa.ForeignKeyConstraint(['filed_by_id'], ['user_account.id'],
                                name=op.f('fk_evaluation_objection_filed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_objection')),
    )
    with op.batch_alter_table('evaluation_objection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_objection_answer_id'), ['answer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evaluation_objection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_objection_answer_id'))
    op.drop_table('evaluation_objection')
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evaluation_answer_responded_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_answer_reviewed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('responded_by_id')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('response')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review_comment')
