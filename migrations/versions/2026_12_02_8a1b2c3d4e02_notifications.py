"""notifications

One row per event a person should hear about (the bell, the e-mail, the coordinator's phone
list), and each person's choice per kind: an e-mail right away, in the weekly e-mail, or none.

Revision ID: 8a1b2c3d4e02
Revises: 8a1b2c3d4e01
Create Date: 2026-12-02 13:20:00

"""
from alembic import op
import sqlalchemy as sa

import marketplace.models.types


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e02'
down_revision = '8a1b2c3d4e01'
branch_labels = None
depends_on = None

KINDS = (
    'proposal_new', 'match_accepted', 'match_declined', 'request_info_needed',
    'request_approved', 'request_rejected', 'request_escalated', 'request_withdrawn',
    'appointment_reminder', 'match_cancelled', 'proposal_expired', 'digest',
)


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='notificationkind', native_enum=False, length=20), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('help_request_id', sa.Integer(), nullable=True),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', marketplace.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('mail', sa.Enum('queued', 'sent', 'digest', 'off', 'no_address', name='notificationmail', native_enum=False, length=20), nullable=False),
    sa.Column('emailed_at', marketplace.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('phone_needed', sa.Boolean(), nullable=False),
    sa.Column('phoned_at', marketplace.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('phoned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], name=op.f('fk_notifications_help_request_id_help_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_notifications_match_id_matches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['phoned_by_id'], ['users.id'], name=op.f('fk_notifications_phoned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_help_request_id'), ['help_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_match_id'), ['match_id'], unique=False)
        batch_op.create_index('ix_notifications_phone', ['phone_needed', 'phoned_at'], unique=False)
        batch_op.create_index('ix_notifications_recipient_read', ['recipient_id', 'read_at'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='notificationkind', native_enum=False, length=20), nullable=False),
    sa.Column('delivery', sa.Enum('immediate', 'digest', 'off', name='notificationdelivery', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )


def downgrade():
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_read')
        batch_op.drop_index('ix_notifications_phone')
        batch_op.drop_index(batch_op.f('ix_notifications_match_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_help_request_id'))

    op.drop_table('notifications')
