"""indicators

A neighbourhood's CBS wijk code and population; the feedback sentences chosen for the
council report; the indexes the period queries need.

Revision ID: 8a1b2c3d4e08
Revises: 8a1b2c3d4e07
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e08'
down_revision = '8a1b2c3d4e07'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_help_requests_created_at', 'help_requests', ['created_at']),
    ('ix_request_transitions_to_status_at', 'request_transitions', ['to_status', 'at']),
    ('ix_match_transitions_to_status_at', 'match_transitions', ['to_status', 'at']),
    ('ix_feedback_created_at', 'feedback', ['created_at']),
    ('ix_help_sessions_day', 'help_sessions', ['day']),
    ('ix_volunteer_profiles_created_at', 'volunteer_profiles', ['created_at']),
)


def upgrade():
    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cbs_code', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('population', sa.Integer(), nullable=True))
    op.create_table(
        'report_stories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('feedback_id', sa.Integer(), nullable=False),
        sa.Column('chosen_by_id', sa.Integer(), nullable=True),
        sa.Column('chosen_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'],
                                name=op.f('fk_report_stories_feedback_id_feedback'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'],
                                name=op.f('fk_report_stories_chosen_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_stories')),
        sa.UniqueConstraint('feedback_id', name=op.f('uq_report_stories_feedback_id')),
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table('report_stories')
    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.drop_column('population')
        batch_op.drop_column('cbs_code')
