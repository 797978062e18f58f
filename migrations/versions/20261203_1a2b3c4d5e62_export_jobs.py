"""Export jobs: long downloads (the de-identified data as CSV or XLSX) made by the export worker.

Revision ID: 1a2b3c4d5e62
Revises: 1a2b3c4d5e61
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

from surveyapp.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e62"
down_revision = "1a2b3c4d5e61"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("file_format", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column(
            "state",
            sa.Enum("queued", "running", "done", "failed", "expired", name="exportstate", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("error", sa.String(length=20), nullable=True),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"], name=op.f("fk_export_job_requested_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_job")),
    )
    op.create_index(op.f("ix_export_job_requested_by_id"), "export_job", ["requested_by_id"], unique=False)
    op.create_index(op.f("ix_export_job_state"), "export_job", ["state"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_export_job_state"), table_name="export_job")
    op.drop_index(op.f("ix_export_job_requested_by_id"), table_name="export_job")
    op.drop_table("export_job")
