"""Reports: the indicator definitions behind the programme's indicator table.

Schema only: the programme's own indicators are defined by `flask report seed-indicators` or `flask demo programme`.

Revision ID: ff868c88a72c
Revises: 9853a3f0d63f
Create Date: 2026-11-25 12:33:26.520194

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "ff868c88a72c"
down_revision = "9853a3f0d63f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "indicator_definition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("method", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column(
            "respondent_kind",
            sa.Enum("child", "staff", "parent", name="respondentkind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("pre_instrument", sa.String(length=60), nullable=False),
        sa.Column("post_instrument", sa.String(length=60), nullable=False),
        sa.Column("scale", sa.String(length=60), nullable=False),
        sa.Column(
            "statistic",
            sa.Enum(
                "share_reliably_improved",
                "mean_change",
                "mean_knowledge_gain",
                "hake_gain",
                name="statistic",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "pre_wave",
            sa.Enum("baseline", "post", "follow_up", name="wave", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "post_wave",
            sa.Enum("baseline", "post", "follow_up", name="wave", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("cutoff", sa.Float(), nullable=True),
        sa.Column("cutoff_rule", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_definition")),
        sa.UniqueConstraint("code", name=op.f("uq_indicator_definition_code")),
    )


def downgrade():
    op.drop_table("indicator_definition")
