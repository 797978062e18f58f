"""Staff log-ins kept on the server (a copied cookie dies at log-out), the lock-out after wrong passwords,
guardians' consent records, and respondents' withdrawal.

Revision ID: 1a2b3c4d5e63
Revises: 1a2b3c4d5e62
Create Date: 2026-12-03 12:00:00

"""

import sqlalchemy as sa
from alembic import op

from surveyapp.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e63"
down_revision = "1a2b3c4d5e62"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("password_fingerprint", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_login_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"], unique=False)
    op.add_column("user", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.add_column("user", sa.Column("locked_until", UTCDateTime(), nullable=True))
    op.create_table(
        "guardian_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_guardian_consent_recorded_by_id_user")),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondent.id"],
            name=op.f("fk_guardian_consent_respondent_id_respondent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian_consent")),
    )
    op.create_index(op.f("ix_guardian_consent_respondent_id"), "guardian_consent", ["respondent_id"], unique=False)
    op.add_column("respondent", sa.Column("withdrawn_at", UTCDateTime(), nullable=True))
    op.add_column(
        "respondent", sa.Column("withdrawal_reason", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column("respondent", sa.Column("erased_at", UTCDateTime(), nullable=True))


def downgrade():
    op.drop_column("respondent", "erased_at")
    op.drop_column("respondent", "withdrawal_reason")
    op.drop_column("respondent", "withdrawn_at")
    op.drop_index(op.f("ix_guardian_consent_respondent_id"), table_name="guardian_consent")
    op.drop_table("guardian_consent")
    op.drop_column("user", "locked_until")
    op.drop_column("user", "failed_logins")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
