"""personal data: encrypted legal approval number, purge marker

The legal-entity approval number becomes encrypted at rest like the NIK (existing rows are
encrypted here with the configured data key, see ppid_desk/privacy.py); ``applicant.purged_at``
marks applicants whose personal data `flask ppid purge` removed.

Revision ID: 58af6d31c726
Revises: 74af5f0eaa56
Create Date: 2026-11-23 07:50:13.758127

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '58af6d31c726'
down_revision = '74af5f0eaa56'
branch_labels = None
depends_on = None


def _recode(convert) -> None:
    """Rewrite every non-empty legal_approval_number through ``convert`` (encrypt or decrypt)."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, legal_approval_number FROM applicant WHERE legal_approval_number IS NOT NULL"
    )).all()
    for row_id, value in rows:
        connection.execute(sa.text("UPDATE applicant SET legal_approval_number = :value WHERE id = :id"),
                           {"value": convert(value), "id": row_id})


def upgrade():
    from ppid_desk.privacy import encrypt_text

    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('legal_approval_number',
               existing_type=sa.VARCHAR(length=100),
               type_=sa.Text(),
               existing_nullable=True)
    _recode(encrypt_text)


def downgrade():
    from ppid_desk.privacy import decrypt_text

    _recode(lambda value: decrypt_text(value)[:100])
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.alter_column('legal_approval_number',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=100),
               existing_nullable=True)
        batch_op.drop_column('purged_at')
