"""conversations

Messages within an accepted match, how far each person read them, whether a person wants a
message's text in its e-mail, and a concern's link to the match it is about.

Revision ID: 8a1b2c3d4e06
Revises: 8a1b2c3d4e05
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from marketplace.models.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e06'
down_revision = '8a1b2c3d4e05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'conversation_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('match_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('removed_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['match_id'], ['matches.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_messages_author_created',
                              ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_messages_match_id'), ['match_id'],
                              unique=False)
    op.create_table(
        'conversation_reads',
        sa.Column('match_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('last_read_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['match_id'], ['matches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('match_id', 'user_id'),
    )
    op.create_table(
        'message_mail_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('include_text', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_concerns_match_id'), ['match_id'], unique=False)
        batch_op.create_foreign_key('fk_concerns_match_id_matches', 'matches', ['match_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_constraint('fk_concerns_match_id_matches', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_concerns_match_id'))
        batch_op.drop_column('match_id')
    op.drop_table('message_mail_settings')
    op.drop_table('conversation_reads')
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_messages_match_id'))
        batch_op.drop_index('ix_conversation_messages_author_created')
    op.drop_table('conversation_messages')
