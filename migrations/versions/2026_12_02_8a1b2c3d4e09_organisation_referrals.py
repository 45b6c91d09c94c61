"""organisation referrals

Requests routed to a partner organisation (by a coordinator or a matching round), with their
history; each organisation's capacity per round and its own answer time.

Revision ID: 8a1b2c3d4e09
Revises: 8a1b2c3d4e08
Create Date: 2026-12-02 16:40:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e09'
down_revision = '8a1b2c3d4e08'
branch_labels = None
depends_on = None

STATUSES = ('routed', 'assigned', 'returned', 'timed_out', 'withdrawn')


def _status(name):
    return sa.Enum(*STATUSES, name='referralstatus', native_enum=False, length=20)


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capacity_per_round', sa.Integer(), server_default='3',
                                      nullable=False))
        batch_op.add_column(sa.Column('answer_hours', sa.Integer(), nullable=True))
    op.create_table(
        'organisation_referrals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('help_request_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('status', _status('status'), nullable=False),
        sa.Column('routed_by_id', sa.Integer(), nullable=True),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('match_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('explanation', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('due_at', UTCDateTime(), nullable=False),
        sa.Column('decided_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['routed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['round_id'], ['matching_rounds.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['match_id'], ['matches.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('organisation_referrals', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_referrals_open', ['status', 'due_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_referrals_help_request_id'),
                              ['help_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_referrals_organisation_id'),
                              ['organisation_id'], unique=False)
    op.create_table(
        'referral_transitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('from_status', _status('from_status'), nullable=True),
        sa.Column('to_status', _status('to_status'), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['referral_id'], ['organisation_referrals.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('referral_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_transitions_referral_id'),
                              ['referral_id'], unique=False)


def downgrade():
    op.drop_table('referral_transitions')
    op.drop_table('organisation_referrals')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('answer_hours')
        batch_op.drop_column('capacity_per_round')
