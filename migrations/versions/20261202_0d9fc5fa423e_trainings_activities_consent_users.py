"""Trainings and their participants, who answers at a session (children, staff or parents), work-plan activities, kiosk joins, the consent text of each submission,
one-time password resets, a territory for users, a success rule for indicators, and
the session page's index on submissions (session, received_at, id).

Columns are added to existing tables with ALTER TABLE ADD COLUMN, never with a batch copy: on SQLite a batch
copy drops and recreates the table, and with foreign keys on, dropping `survey_session` or `submission` would
cascade to their rows.

Revision ID: 0d9fc5fa423e
Revises: 9476aa16e728
Create Date: 2026-12-02 20:01:27.524528

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from surveyapp.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0d9fc5fa423e"
down_revision = "9476aa16e728"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"), nullable=False),
        sa.Column("period", sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"), nullable=False),
        sa.Column("planned_participants", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        sa.UniqueConstraint("code", name=op.f("uq_activity_code")),
    )
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_password_reset_created_by_id_user")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_password_reset_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_password_reset_code_hash")),
    )
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_reset_user_id"), ["user_id"], unique=False)

    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "respondent_kind",
            sa.Enum("child", "staff", "parent", name="respondentkind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_training_activity_id_activity")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_training_created_by_id_user")),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_training_territory_id_territory")),
        sa.ForeignKeyConstraint(["trainer_id"], ["user.id"], name=op.f("fk_training_trainer_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_trainer_id"), ["trainer_id"], unique=False)

    op.create_table(
        "training_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondent.id"], name=op.f("fk_training_participant_respondent_id_respondent")
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["training.id"],
            name=op.f("fk_training_participant_training_id_training"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_participant")),
        sa.UniqueConstraint("training_id", "respondent_id", name="uq_training_participant_once"),
    )
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_participant_respondent_id"), ["respondent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_participant_training_id"), ["training_id"], unique=False)

    op.create_table(
        "session_join",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondent.id"],
            name=op.f("fk_session_join_respondent_id_respondent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_session.id"],
            name=op.f("fk_session_join_session_id_survey_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "respondent_id", name=op.f("pk_session_join")),
    )
    op.add_column("indicator_definition", sa.Column("success_threshold", sa.Float(), nullable=True))
    op.add_column("submission", sa.Column("consent_text", sa.String(length=40), nullable=True))
    op.add_column(
        "survey_session",
        sa.Column(
            "respondent_kind",
            sa.Enum("child", "staff", "parent", name="respondentkind", native_enum=False, length=10),
            nullable=False,
            server_default="child",
        ),
    )
    op.execute(
        "UPDATE survey_session SET respondent_kind = (SELECT MIN(instrument.respondent_kind) FROM "
        "session_instrument JOIN instrument_version ON instrument_version.id = "
        "session_instrument.instrument_version_id JOIN instrument ON instrument.id = "
        "instrument_version.instrument_id WHERE session_instrument.session_id = survey_session.id) "
        "WHERE EXISTS (SELECT 1 FROM session_instrument WHERE session_id = survey_session.id)"
    )
    _add_reference("survey_session", "training_id", "training")
    _add_reference("survey_session", "activity_id", "activity")
    op.create_index(op.f("ix_survey_session_activity_id"), "survey_session", ["activity_id"], unique=False)
    op.create_index(op.f("ix_survey_session_training_id"), "survey_session", ["training_id"], unique=False)
    _add_reference("user", "territory_id", "territory")
    op.create_index("ix_submission_session_received", "submission", ["session_id", "received_at", "id"])


def downgrade():
    op.drop_index("ix_submission_session_received", table_name="submission")
    _drop_reference("user", "territory_id", "territory")
    op.drop_index(op.f("ix_survey_session_training_id"), table_name="survey_session")
    op.drop_index(op.f("ix_survey_session_activity_id"), table_name="survey_session")
    _drop_reference("survey_session", "activity_id", "activity")
    _drop_reference("survey_session", "training_id", "training")
    op.drop_column("submission", "consent_text")
    op.drop_column("survey_session", "respondent_kind")
    op.drop_column("indicator_definition", "success_threshold")

    op.drop_table("session_join")
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_participant_training_id"))
        batch_op.drop_index(batch_op.f("ix_training_participant_respondent_id"))

    op.drop_table("training_participant")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_trainer_id"))
        batch_op.drop_index(batch_op.f("ix_training_activity_id"))

    op.drop_table("training")
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_user_id"))

    op.drop_table("password_reset")
    op.drop_table("activity")


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable foreign-key column, added in place on both databases."""
    name = f"fk_{table}_{column}_{target}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES "{target}" (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])


def _drop_reference(table: str, column: str, target: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column}')  # SQLite 3.35+: no table copy, no cascade
    else:
        op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
        op.drop_column(table, column)
