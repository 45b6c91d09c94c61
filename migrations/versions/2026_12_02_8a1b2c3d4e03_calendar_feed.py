"""calendar feed token

The private calendar feed: the SHA-256 of each person's secret feed link (never the link
itself), empty for people who made none.

Revision ID: 8a1b2c3d4e03
Revises: 8a1b2c3d4e02
Create Date: 2026-12-02 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e03'
down_revision = '8a1b2c3d4e02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_calendar_token_hash'),
                              ['calendar_token_hash'], unique=True)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_calendar_token_hash'))
        batch_op.drop_column('calendar_token_hash')
