"""Monev: each routing task keeps the facts the metric set counts (``routed_on`` and ``answered_on``,
the body-local days of its routing and answer, and ``superseded``: a newer live task of the same
unit holds the same request), at the end of a covering index that replaces
``ix_routing_task_request_unit``, so a cold metric run reads them instead of deriving them task by
task (issue 17 item 3; definitions in ``monev.task_facts``). Backfilled here in SQL.

Revision ID: b48dd6756094
Revises: e663659ee77f
Create Date: 2026-12-05 05:30:00
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = 'b48dd6756094'
down_revision = 'e663659ee77f'
branch_labels = None
depends_on = None

# monev.task_facts.task_facts() as of this revision. Written out: a migration must not change with
# the code after it.
SUPERSEDED = """CASE WHEN routing_task.status != 'cancelled' AND EXISTS (
    SELECT 1 FROM routing_task AS newer
    WHERE newer.request_id = routing_task.request_id AND newer.unit_id = routing_task.unit_id
      AND newer.status != 'cancelled' AND newer.id > routing_task.id) THEN {true} ELSE {false} END"""


def _zone() -> str:
    """The body's zone: its profile's, else the configured default (as ``body_timezone()``)."""
    row = op.get_bind().execute(sa.text("SELECT timezone FROM body_profile WHERE id = 1")).first()
    if row and row[0]:
        return row[0]
    try:
        from flask import current_app
        return current_app.config["BODY_TIMEZONE"]
    except (ImportError, RuntimeError, KeyError):
        return "Asia/Jakarta"


def _local_day(column: str) -> str:
    """``metrics.local_day`` of a timestamp column, as SQL text."""
    zone = _zone()
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(timezone('{zone}', {column}) AS DATE)"
    minutes = int(datetime.now(UTC).astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes')"


def upgrade():
    with op.batch_alter_table('routing_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('routed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('superseded', sa.Boolean(), server_default=sa.false(), nullable=False))
    postgresql = op.get_bind().dialect.name == "postgresql"
    superseded = SUPERSEDED.format(true="true" if postgresql else "1", false="false" if postgresql else "0")
    # Before the old index goes: it finds each task's newer siblings.
    op.execute(f"UPDATE routing_task SET routed_on = {_local_day('routed_at')}, "
               f"answered_on = {_local_day('answered_at')}, superseded = {superseded}")
    with op.batch_alter_table('routing_task', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_task_request_unit')
        batch_op.create_index('ix_routing_task_monev', ['request_id', 'unit_id', 'status', 'superseded',
                                                        'internal_due', 'routed_on', 'answered_on'], unique=False)


def downgrade():
    with op.batch_alter_table('routing_task', schema=None) as batch_op:
        batch_op.drop_index('ix_routing_task_monev')
        batch_op.create_index('ix_routing_task_request_unit', ['request_id', 'unit_id', 'status'], unique=False)
        batch_op.drop_column('superseded')
        batch_op.drop_column('answered_on')
        batch_op.drop_column('routed_on')
