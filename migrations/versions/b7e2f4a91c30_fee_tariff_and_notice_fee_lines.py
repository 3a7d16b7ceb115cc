"""fee tariff (tarif biaya) and the written notice's itemised fee lines and out-of-tariff reason

Revision ID: b7e2f4a91c30
Revises: c5e2a7d9b413
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2f4a91c30'
down_revision = 'c5e2a7d9b413'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tariff_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('price', sa.Integer(), nullable=False),
        sa.Column('decree_number', sa.String(length=200), nullable=False),
        sa.Column('decree_date', sa.Date(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_line')),
    )
    op.create_table(
        'notice_fee_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('tariff_line_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=True),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('unit', sa.String(length=40), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price', sa.Integer(), nullable=False),
        sa.Column('subtotal', sa.Integer(), nullable=False),
        sa.Column('decree', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['notice_id'], ['written_notice.id'],
                                name=op.f('fk_notice_fee_line_notice_id_written_notice')),
        sa.ForeignKeyConstraint(['tariff_line_id'], ['tariff_line.id'],
                                name=op.f('fk_notice_fee_line_tariff_line_id_tariff_line')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_fee_line')),
    )
    with op.batch_alter_table('notice_fee_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_fee_line_notice_id'), ['notice_id'], unique=False)
    with op.batch_alter_table('written_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('written_notice', schema=None) as batch_op:
        batch_op.drop_column('fee_reason')
    with op.batch_alter_table('notice_fee_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_fee_line_notice_id'))
    op.drop_table('notice_fee_line')
    op.drop_table('tariff_line')
