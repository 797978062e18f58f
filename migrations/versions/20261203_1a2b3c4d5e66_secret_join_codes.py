"""Secret join codes: every session gets a new twelve-character code (eleven random characters of a 31-character
alphabet and a check character), so that no session can be found by guessing its six digits (issue 15).

Answers queued on a tablet under a session's old code are refused after the upgrade (and kept on the tablet):
upgrade between events, when the trainer's devices page shows no tablet with answers waiting.

Revision ID: 1a2b3c4d5e66
Revises: 1a2b3c4d5e64
Create Date: 2026-12-03 15:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1a2b3c4d5e66"
down_revision = "1a2b3c4d5e64"
branch_labels = None
depends_on = None

# The rule of surveyapp/respondents/codes.py at the time of this revision, written out so that the migration
# keeps its meaning when the application's code changes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(11))
    total = sum((position + 1) * ALPHABET.index(char) for position, char in enumerate(body))
    return body + ALPHABET[total % len(ALPHABET)]


def upgrade():
    survey_session = sa.table("survey_session", sa.column("id", sa.Integer), sa.column("join_code", sa.String))
    connection = op.get_bind()
    session_ids = connection.execute(sa.select(survey_session.c.id)).scalars().all()
    codes = set()
    while len(codes) < len(session_ids):
        codes.add(_new_code())
    for session_id, code in zip(session_ids, codes):
        connection.execute(survey_session.update().where(survey_session.c.id == session_id).values(join_code=code))


def downgrade():
    """The new codes fit the old column: nothing to undo."""
