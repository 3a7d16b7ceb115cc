"""satisfaction survey (issue 16 item 8): anonymous responses (nine elements of PermenPANRB
14/2017, the handling unit and the month) and the one-way tickets that allow one per request

Revision ID: 5b3e9d7f1a26
Revises: a4d8e2f6b913
Create Date: 2026-12-04 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b3e9d7f1a26'
down_revision = 'a4d8e2f6b913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_response',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('month', sa.SmallInteger(), nullable=False),
        sa.Column('u1_requirements', sa.SmallInteger(), nullable=False),
        sa.Column('u2_procedure', sa.SmallInteger(), nullable=False),
        sa.Column('u3_time', sa.SmallInteger(), nullable=False),
        sa.Column('u4_cost', sa.SmallInteger(), nullable=False),
        sa.Column('u5_product', sa.SmallInteger(), nullable=False),
        sa.Column('u6_competence', sa.SmallInteger(), nullable=False),
        sa.Column('u7_behaviour', sa.SmallInteger(), nullable=False),
        sa.Column('u8_complaints', sa.SmallInteger(), nullable=False),
        sa.Column('u9_facilities', sa.SmallInteger(), nullable=False),
        sa.Column('suggestion', sa.Text(), nullable=True),
        sa.CheckConstraint('u1_requirements BETWEEN 1 AND 4', name=op.f('ck_survey_response_u1_requirements_scale')),
        sa.CheckConstraint('u2_procedure BETWEEN 1 AND 4', name=op.f('ck_survey_response_u2_procedure_scale')),
        sa.CheckConstraint('u3_time BETWEEN 1 AND 4', name=op.f('ck_survey_response_u3_time_scale')),
        sa.CheckConstraint('u4_cost BETWEEN 1 AND 4', name=op.f('ck_survey_response_u4_cost_scale')),
        sa.CheckConstraint('u5_product BETWEEN 1 AND 4', name=op.f('ck_survey_response_u5_product_scale')),
        sa.CheckConstraint('u6_competence BETWEEN 1 AND 4', name=op.f('ck_survey_response_u6_competence_scale')),
        sa.CheckConstraint('u7_behaviour BETWEEN 1 AND 4', name=op.f('ck_survey_response_u7_behaviour_scale')),
        sa.CheckConstraint('u8_complaints BETWEEN 1 AND 4', name=op.f('ck_survey_response_u8_complaints_scale')),
        sa.CheckConstraint('u9_facilities BETWEEN 1 AND 4', name=op.f('ck_survey_response_u9_facilities_scale')),
        sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_survey_response_month_range')),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_survey_response_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index('ix_survey_response_period', ['year', 'month', 'unit_id'], unique=False)
    op.create_table(
        'survey_ticket',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_survey_ticket')),
    )


def downgrade():
    op.drop_table('survey_ticket')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_response_period')
    op.drop_table('survey_response')
