"""Staff log-ins kept on the server (a copied cookie dies at log-out) and the lock-out after wrong passwords.

Revision ID: 1a2b3c4d5e63
Revises: 1a2b3c4d5e62
Create Date: 2026-12-03 12:00:00

"""
import sqlalchemy as sa
from alembic import op

from surveyapp.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '1a2b3c4d5e63'
down_revision = '1a2b3c4d5e62'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('password_fingerprint', sa.String(length=16), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash'))
    )
    op.create_index(op.f('ix_login_session_user_id'), 'login_session', ['user_id'], unique=False)
    op.add_column('user', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('user', sa.Column('locked_until', UTCDateTime(), nullable=True))


def downgrade():
    op.drop_column('user', 'locked_until')
    op.drop_column('user', 'failed_logins')
    op.drop_index(op.f('ix_login_session_user_id'), table_name='login_session')
    op.drop_table('login_session')
