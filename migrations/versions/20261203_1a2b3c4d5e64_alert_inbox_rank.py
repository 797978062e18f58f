"""The alert inbox's order as a rank (new alerts first, then the most severe) computed by the database from each
alert's state and level, with an index in the inbox's order (rank, newest first): the inbox reads a page as an
index range instead of sorting every alert of the states shown (issue 14, target 2). The coordinators' inbox (only
escalated alerts) has the same order in an index of the escalated alerts alone.

Revision ID: 1a2b3c4d5e64
Revises: 1a2b3c4d5e63
Create Date: 2026-12-03 14:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e64"
down_revision = "1a2b3c4d5e63"
branch_labels = None
depends_on = None

# surveyapp/alerts/models.py INBOX_RANK_SQL at the time of this revision.
INBOX_RANK_SQL = (
    "CASE state WHEN 'new' THEN 0 ELSE 3 END + CASE level WHEN 'acute' THEN 0 WHEN 'non_acute' THEN 1 ELSE 2 END"
)


def upgrade():
    """PostgreSQL stores the rank, computing it for every existing alert as it adds the column. SQLite can add
    only a virtual generated column (a stored one would mean rebuilding the table, whose implicit delete cascades
    to the alerts' trails); the index stores its values all the same."""
    is_sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "alert",
        sa.Column(
            "inbox_rank", sa.SmallInteger(), sa.Computed(INBOX_RANK_SQL, persisted=not is_sqlite), nullable=False
        ),
    )
    op.create_index("ix_alert_inbox", "alert", ["inbox_rank", sa.text("created_at DESC"), sa.text("id DESC")])
    op.create_index(
        "ix_alert_inbox_escalated",
        "alert",
        ["inbox_rank", sa.text("created_at DESC"), sa.text("id DESC")],
        postgresql_where=sa.text("escalation_level > 0"),
        sqlite_where=sa.text("escalation_level > 0"),
    )


def downgrade():
    op.drop_index("ix_alert_inbox_escalated", table_name="alert")
    op.drop_index("ix_alert_inbox", table_name="alert")
    op.drop_column("alert", "inbox_rank")
