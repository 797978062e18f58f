"""Initial schema: users, audit trail, instruments and versions, territories, respondents, sessions, submissions, scores.

Revision ID: b5bec16c701a
Revises:
Create Date: 2026-11-25 12:17:28.076230

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "b5bec16c701a"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("respondent_kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
        sa.UniqueConstraint("code", name=op.f("uq_instrument_code")),
    )
    op.create_table(
        "territory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory")),
        sa.UniqueConstraint("code", name=op.f("uq_territory_code")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin", "coordinator", "psychologist", "trainer", "viewer", name="role", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("username", name=op.f("uq_user_username")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=60), nullable=False),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_audit_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_user_id"), ["user_id"], unique=False)

    op.create_table(
        "instrument_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("content", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_instrument_version_instrument_id_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["user.id"], name=op.f("fk_instrument_version_published_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_version")),
        sa.UniqueConstraint("instrument_id", "version", name="uq_instrument_version_number"),
    )
    with op.batch_alter_table("instrument_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instrument_version_instrument_id"), ["instrument_id"], unique=False)

    op.create_table(
        "respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("child", "staff", "parent", name="respondentkind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("sex", sa.Enum("female", "male", name="sex", native_enum=False, length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_respondent_territory_id_territory")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondent")),
        sa.UniqueConstraint("code", name=op.f("uq_respondent_code")),
    )
    with op.batch_alter_table("respondent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_respondent_territory_id"), ["territory_id"], unique=False)

    op.create_table(
        "survey_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column(
            "wave", sa.Enum("baseline", "post", "follow_up", name="wave", native_enum=False, length=10), nullable=False
        ),
        sa.Column("join_code", sa.String(length=12), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_survey_session_created_by_id_user")),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_survey_session_territory_id_territory")
        ),
        sa.ForeignKeyConstraint(["trainer_id"], ["user.id"], name=op.f("fk_survey_session_trainer_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_session")),
        sa.UniqueConstraint("join_code", name=op.f("uq_survey_session_join_code")),
    )
    with op.batch_alter_table("survey_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_session_held_on"), ["held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_session_territory_id"), ["territory_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_session_trainer_id"), ["trainer_id"], unique=False)

    op.create_table(
        "session_instrument",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_version.id"],
            name=op.f("fk_session_instrument_instrument_version_id_instrument_version"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_session.id"],
            name=op.f("fk_session_instrument_session_id_survey_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "instrument_version_id", name=op.f("pk_session_instrument")),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uuid", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("answers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("flag_level", sa.String(length=12), nullable=False),
        sa.Column("flags", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_version.id"],
            name=op.f("fk_submission_instrument_version_id_instrument_version"),
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["respondent.id"], name=op.f("fk_submission_respondent_id_respondent")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["survey_session.id"], name=op.f("fk_submission_session_id_survey_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("client_uuid", name=op.f("uq_submission_client_uuid")),
        sa.UniqueConstraint(
            "session_id", "respondent_id", "instrument_version_id", name="uq_submission_once_per_session"
        ),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_instrument_version_id"), ["instrument_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_submission_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_respondent_id"), ["respondent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_session_id"), ["session_id"], unique=False)

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=40), nullable=True),
        sa.Column("n_answered", sa.Integer(), nullable=False),
        sa.Column("n_items", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_score_submission_id_submission"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.UniqueConstraint("submission_id", "scale", name="uq_score_scale"),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_submission_id"), ["submission_id"], unique=False)


def downgrade():
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_submission_id"))

    op.drop_table("score")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_session_id"))
        batch_op.drop_index(batch_op.f("ix_submission_respondent_id"))
        batch_op.drop_index(batch_op.f("ix_submission_received_at"))
        batch_op.drop_index(batch_op.f("ix_submission_instrument_version_id"))

    op.drop_table("submission")
    op.drop_table("session_instrument")
    with op.batch_alter_table("survey_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_session_trainer_id"))
        batch_op.drop_index(batch_op.f("ix_survey_session_territory_id"))
        batch_op.drop_index(batch_op.f("ix_survey_session_held_on"))

    op.drop_table("survey_session")
    with op.batch_alter_table("respondent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_respondent_territory_id"))

    op.drop_table("respondent")
    with op.batch_alter_table("instrument_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_version_instrument_id"))

    op.drop_table("instrument_version")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    op.drop_table("user")
    op.drop_table("territory")
    op.drop_table("instrument")
