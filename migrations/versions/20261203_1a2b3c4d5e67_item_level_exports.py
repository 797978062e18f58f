"""Item-level data exports (issue 16): an export job is of a kind (the indicators' long-form data, or every answer
of one instrument version) and names the instrument version it exports.

Revision ID: 1a2b3c4d5e67
Revises: 1a2b3c4d5e66
Create Date: 2026-12-03 16:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e67"
down_revision = "1a2b3c4d5e66"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("export_job") as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum("indicator_data", "item_data", name="exportkind", native_enum=False, length=20),
                nullable=False,
                server_default="indicator_data",
            )
        )
        batch_op.add_column(sa.Column("instrument_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_export_job_instrument_version_id_instrument_version"),
            "instrument_version",
            ["instrument_version_id"],
            ["id"],
        )


def downgrade():
    """Item-level jobs cannot be told apart from indicator jobs afterwards: they are deleted first."""
    op.execute("DELETE FROM export_job WHERE kind = 'item_data'")
    with op.batch_alter_table("export_job") as batch_op:
        batch_op.drop_constraint(op.f("fk_export_job_instrument_version_id_instrument_version"), type_="foreignkey")
        batch_op.drop_column("instrument_version_id")
        batch_op.drop_column("kind")
