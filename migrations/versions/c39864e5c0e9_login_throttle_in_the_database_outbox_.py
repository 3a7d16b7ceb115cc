"""login throttle in the database, outbox claims, account mail requests

Login lock-out counters move from the rate-limit storage (per process with memory://) to the
database, which every worker and server shares: one row per failed password, and per subject
(address or client IP digest) since when failures count and until when it is locked. Outbox
messages get a claim, so two senders never send one message twice. "Forgot password" and
"resend verification" requests wait in account_mail_request for the outbox sender, for
addresses with and without an account alike.

Revision ID: c39864e5c0e9
Revises: 3c5e9b1d7a42
Create Date: 2026-12-03 15:42:07.739012

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c39864e5c0e9'
down_revision = '3c5e9b1d7a42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_mail_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_mail_request'))
    )
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index('ix_login_failure_subject', ['kind', 'key', 'failed_at'], unique=False)

    op.create_table('login_throttle',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('counted_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')

    op.drop_table('login_throttle')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_subject')
        batch_op.drop_index(batch_op.f('ix_login_failure_failed_at'))

    op.drop_table('login_failure')
    op.drop_table('account_mail_request')
