"""Indexes for pages at 1,000,000 submissions (issue 14): the respondents list in the order it shows
(newest first), the session page's count of children with an open acute alert (alerts by level and state), and
the indicator report's reading of one scale's scores as one index range (scale, submission, value).

Revision ID: 1a2b3c4d5e61
Revises: 0d9fc5fa423e
Create Date: 2026-12-03 11:45:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e61"
down_revision = "0d9fc5fa423e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_respondent_created_at_id", "respondent", ["created_at", "id"])
    op.create_index("ix_alert_level_state", "alert", ["level", "state", "submission_id"])
    op.create_index("ix_score_scale_submission", "score", ["scale", "submission_id", "value"])


def downgrade():
    op.drop_index("ix_score_scale_submission", table_name="score")
    op.drop_index("ix_alert_level_state", table_name="alert")
    op.drop_index("ix_respondent_created_at_id", table_name="respondent")
