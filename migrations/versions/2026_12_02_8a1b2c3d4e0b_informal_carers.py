"""informal carers

Carer profiles, overload checks and the two people of a respite request.

Revision ID: 8a1b2c3d4e0b
Revises: 8a1b2c3d4e0a
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e0b'
down_revision = '8a1b2c3d4e0a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'carer_profiles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('relation', sa.String(length=20), nullable=False),
        sa.Column('lives_together', sa.Boolean(), nullable=False),
        sa.Column('since', sa.Date(), nullable=True),
        sa.Column('hours_per_week', sa.Integer(), nullable=False),
        sa.Column('care_kinds', sa.JSON(), nullable=False),
        sa.Column('conditions', sa.JSON(), nullable=False),
        sa.Column('registered_by_id', sa.Integer(), nullable=True),
        sa.Column('consent_at', UTCDateTime(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'carer_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('felt_burden', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=20), nullable=False),
        sa.Column('high_areas', sa.JSON(), nullable=False),
        sa.Column('taken_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'],
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('carer_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carer_checks_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carer_checks_neighbourhood_id'),
                              ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_carer_checks_taken_at'), ['taken_at'],
                              unique=False)
    op.create_table(
        'respite_details',
        sa.Column('help_request_id', sa.Integer(), nullable=False),
        sa.Column('cared_for_name', sa.String(length=120), nullable=False),
        sa.Column('cared_for_needs', sa.Text(), nullable=False),
        sa.Column('carer_needs', sa.Text(), nullable=False),
        sa.Column('carer_address', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('help_request_id'),
    )


def downgrade():
    op.drop_table('respite_details')
    op.drop_table('carer_checks')
    op.drop_table('carer_profiles')
