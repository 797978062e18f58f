"""Kiosk devices: tablets set up by staff for a session, and which tablet sent each submission.

`submission.device_id` is added with ALTER TABLE ADD COLUMN on both databases, not with a batch copy of the
table: on SQLite a batch copy drops and recreates `submission`, and with foreign keys on, dropping it would
cascade to its scores and alerts.

Revision ID: 9476aa16e728
Revises: ff868c88a72c
Create Date: 2026-12-02 00:57:19.763571

"""

import sqlalchemy as sa
from alembic import op

from surveyapp.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "9476aa16e728"
down_revision = "ff868c88a72c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kiosk_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_uuid", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("set_up_by_id", sa.Integer(), nullable=True),
        sa.Column("set_up_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.Column("waiting_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_session.id"],
            name=op.f("fk_kiosk_device_session_id_survey_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["set_up_by_id"], ["user.id"], name=op.f("fk_kiosk_device_set_up_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_device")),
        sa.UniqueConstraint("device_uuid", "session_id", name="uq_kiosk_device_once_per_session"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_device_token_hash")),
    )
    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_device_session_id"), ["session_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE submission ADD COLUMN device_id INTEGER CONSTRAINT fk_submission_device_id_kiosk_device"
            " REFERENCES kiosk_device (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("submission", sa.Column("device_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_submission_device_id_kiosk_device"),
            "submission",
            "kiosk_device",
            ["device_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(op.f("ix_submission_device_id"), "submission", ["device_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_submission_device_id"), table_name="submission")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE submission DROP COLUMN device_id")  # SQLite 3.35+: no table copy, no cascade
    else:
        op.drop_constraint(op.f("fk_submission_device_id_kiosk_device"), "submission", type_="foreignkey")
        op.drop_column("submission", "device_id")

    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_device_session_id"))

    op.drop_table("kiosk_device")
