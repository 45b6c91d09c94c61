"""follow-up tasks

Tasks for the coordinators of a neighbourhood: aftercare, waakvlam check-ins and carers'
overload checks open them, a coordinator closes them with an outcome.

Revision ID: 8a1b2c3d4e04
Revises: 8a1b2c3d4e03
Create Date: 2026-12-02 16:20:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e04'
down_revision = '8a1b2c3d4e03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'follow_up_tasks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('unconfirmed', 'not_given', 'low_rating', 'concern',
                                  'recurring_idle', 'waakvlam', 'carer_overload',
                                  name='taskkind', native_enum=False, length=20),
                  nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('status', sa.Enum('open', 'done', name='taskstatus', native_enum=False,
                                    length=20), nullable=False),
        sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('help_request_id', sa.Integer(), nullable=True),
        sa.Column('match_id', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('closed_at', UTCDateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['match_id'], ['matches.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'],
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['person_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    with op.batch_alter_table('follow_up_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_tasks_open', ['status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_tasks_neighbourhood_id'),
                              ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_tasks_person_id'), ['person_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_tasks_help_request_id'),
                              ['help_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_tasks_match_id'), ['match_id'],
                              unique=False)


def downgrade():
    op.drop_table('follow_up_tasks')
