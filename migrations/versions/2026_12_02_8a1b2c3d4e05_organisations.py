"""partner organisations

Partner organisations (also the sociale kaart's HSDS organisations), the neighbourhoods they
serve, the kinds of help they give, and their members (coordinators and volunteers).

Revision ID: 8a1b2c3d4e05
Revises: 8a1b2c3d4e04
Create Date: 2026-12-02 16:35:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e05'
down_revision = '8a1b2c3d4e04'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('alternate_name', sa.String(length=120), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('website', sa.String(length=300), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
        sa.UniqueConstraint('uuid'),
    )
    op.create_table(
        'organisation_neighbourhoods',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'neighbourhood_id'),
    )
    op.create_table(
        'organisation_categories',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'category_id'),
    )
    op.create_table(
        'organisation_members',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum('coordinator', 'volunteer', name='memberrole',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'user_id', 'role'),
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_user_id'), ['user_id'],
                              unique=False)
    # The role column of user_roles is a VARCHAR(20) checked by SQLAlchemy, not the database:
    # the two new roles (municipality, org_coordinator) need no change here.


def downgrade():
    op.drop_table('organisation_members')
    op.drop_table('organisation_categories')
    op.drop_table('organisation_neighbourhoods')
    op.drop_table('organisations')
