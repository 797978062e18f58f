"""Risk alerts: alerts and their trail, the duty roster, the e-mail outbox, respondents' identities kept apart.

Revision ID: 9853a3f0d63f
Revises: b5bec16c701a
Create Date: 2026-11-25 12:29:07.340000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "9853a3f0d63f"
down_revision = "b5bec16c701a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("is_backup", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_duty_territory_id_territory")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_duty_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
        sa.UniqueConstraint("user_id", "territory_id", "is_backup", name="uq_duty_user_territory"),
    )
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_user_id"), ["user_id"], unique=False)

    op.create_table(
        "respondent_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("guardian_name", sa.String(length=200), nullable=False),
        sa.Column("guardian_phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondent.id"],
            name=op.f("fk_respondent_identity_respondent_id_respondent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_respondent_identity_updated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondent_identity")),
        sa.UniqueConstraint("respondent_id", name=op.f("uq_respondent_identity_respondent_id")),
    )
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum("referral", "non_acute", "acute", name="alertlevel", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum("new", "acknowledged", "closed", name="alertstate", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("triggers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ack_deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "risk_not_confirmed",
                "supported",
                "referred",
                "not_reached",
                name="outcome",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["user.id"], name=op.f("fk_alert_acknowledged_by_id_user")),
        sa.ForeignKeyConstraint(["closed_by_id"], ["user.id"], name=op.f("fk_alert_closed_by_id_user")),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], name=op.f("fk_alert_submission_id_submission")),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_alert_territory_id_territory")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_alert_submission_id")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_alert_state_deadline", ["state", "ack_deadline_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_territory_id"), ["territory_id"], unique=False)

    op.create_table(
        "alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "notified",
                "mail_failed",
                "escalated",
                "acknowledged",
                "action",
                "closed",
                name="eventkind",
                native_enum=False,
                length=15,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "contacted_child",
                "contacted_guardian",
                "referred_center",
                "referred_inspector",
                "referred_health",
                "note",
                name="actionkind",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "risk_not_confirmed",
                "supported",
                "referred",
                "not_reached",
                name="outcome",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alert.id"], name=op.f("fk_alert_event_alert_id_alert"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_alert_event_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
    )
    with op.batch_alter_table("alert_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_event_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("queued", "retrying", "sent", name="outboxstate", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"], name=op.f("fk_outbox_message_alert_id_alert")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_alert_id"), ["alert_id"], unique=False)
        batch_op.create_index("ix_outbox_message_due", ["state", "next_attempt_at"], unique=False)


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_due")
        batch_op.drop_index(batch_op.f("ix_outbox_message_alert_id"))

    op.drop_table("outbox_message")
    with op.batch_alter_table("alert_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_event_alert_id"))

    op.drop_table("alert_event")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_territory_id"))
        batch_op.drop_index("ix_alert_state_deadline")
        batch_op.drop_index(batch_op.f("ix_alert_created_at"))

    op.drop_table("alert")
    op.drop_table("respondent_identity")
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_user_id"))

    op.drop_table("duty")
