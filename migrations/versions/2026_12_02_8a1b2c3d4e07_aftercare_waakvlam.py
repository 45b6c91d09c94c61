"""aftercare and waakvlam

Help reported as not given (a moment and a one-line reason on the match), named rhythms of
waakvlam check-ins (data, with one default rhythm) and the residents followed with them.

Revision ID: 8a1b2c3d4e07
Revises: 8a1b2c3d4e06
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e07'
down_revision = '8a1b2c3d4e06'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_given_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('not_given_reason', sa.String(length=200),
                                      nullable=False, server_default=''))
    rhythms = op.create_table(
        'waakvlam_rhythms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('stages', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'waakvlams',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('rhythm_name', sa.String(length=80), nullable=False),
        sa.Column('stages', sa.JSON(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('stopped_at', UTCDateTime(), nullable=True),
        sa.Column('stopped_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['stopped_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('waakvlams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waakvlams_person_id'), ['person_id'], unique=False)
    # The default rhythm (the admin adds others with `flask waakvlam rhythm`).
    import datetime
    op.bulk_insert(rhythms, [{
        'name': 'Eerst wekelijks, dan maandelijks',
        'stages': [{'every_days': 7, 'times': 4}, {'every_days': 30, 'times': None}],
        'created_at': datetime.datetime.now(datetime.timezone.utc),
    }])


def downgrade():
    op.drop_table('waakvlams')
    op.drop_table('waakvlam_rhythms')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_column('not_given_reason')
        batch_op.drop_column('not_given_at')
