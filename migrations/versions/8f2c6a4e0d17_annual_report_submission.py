"""the annual report's submission to the Komisi Informasi (issue 16 item 7): the day, how, to whom,
a note, who recorded it and when; the proof is an attachment pointing to the report's year

Revision ID: 8f2c6a4e0d17
Revises: d2e7a1b4c6f0
Create Date: 2026-12-04 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f2c6a4e0d17'
down_revision = 'd2e7a1b4c6f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('submitted_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('submitted_to', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('submission_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('submission_recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('submission_recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_annual_report_submission_recorded_by_id_user_account'),
                                    'user_account', ['submission_recorded_by_id'], ['id'])
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annual_report_year', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_annual_report_year'), ['annual_report_year'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachment_annual_report_year_annual_report'),
                                    'annual_report', ['annual_report_year'], ['year'])


def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachment_annual_report_year_annual_report'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_annual_report_year'))
        batch_op.drop_column('annual_report_year')
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_annual_report_submission_recorded_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('submission_recorded_by_id')
        batch_op.drop_column('submission_recorded_at')
        batch_op.drop_column('submission_note')
        batch_op.drop_column('submitted_to')
        batch_op.drop_column('submitted_via')
        batch_op.drop_column('submitted_on')
