"""the Daftar Informasi Publik: information items, their documents (attachment.item_id) and the
searchable text of published items with the database's own full-text index

Revision ID: d1a7c3e5f802
Revises: f1d2c3b4a5e6
Create Date: 2026-12-04 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from ppid_desk.dip.search import ddl


# revision identifiers, used by Alembic.
revision = 'd1a7c3e5f802'
down_revision = 'f1d2c3b4a5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'information_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('official', sa.String(length=200), nullable=False),
        sa.Column('made_when', sa.String(length=100), nullable=False),
        sa.Column('made_where', sa.String(length=200), nullable=False),
        sa.Column('format', sa.String(length=16), nullable=False),
        sa.Column('retention', sa.String(length=100), nullable=False),
        sa.Column('external_url', sa.String(length=500), nullable=True),
        sa.Column('review_months', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('return_reason', sa.Text(), nullable=True),
        sa.Column('published_on', sa.Date(), nullable=True),
        sa.Column('reviewed_on', sa.Date(), nullable=True),
        sa.Column('review_reminded_for', sa.Date(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('information_item', schema=None) as batch_op:
        batch_op.create_index('ix_information_item_status_category', ['status', 'category'], unique=False)
        batch_op.create_index('ix_information_item_unit_status', ['unit_id', 'status'], unique=False)
    op.create_table(
        'dip_search_text',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['information_item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('item_id'),
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        # a DOCX's MIME type is 71 characters: PostgreSQL refused every DOCX/PPTX upload
        batch_op.alter_column('content_type', existing_type=sa.String(length=64), type_=sa.String(length=128),
                              existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_attachment_item_id'), ['item_id'], unique=False)
        batch_op.create_foreign_key('fk_attachment_item_id_information_item', 'information_item', ['item_id'], ['id'])
    for statement in ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in ddl(op.get_bind().dialect.name, drop=True):
        op.execute(statement)
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint('fk_attachment_item_id_information_item', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_item_id'))
        batch_op.drop_column('item_id')
        batch_op.alter_column('content_type', existing_type=sa.String(length=128), type_=sa.String(length=64),
                              existing_nullable=False)
    op.drop_table('dip_search_text')
    with op.batch_alter_table('information_item', schema=None) as batch_op:
        batch_op.drop_index('ix_information_item_unit_status')
        batch_op.drop_index('ix_information_item_status_category')
    op.drop_table('information_item')
