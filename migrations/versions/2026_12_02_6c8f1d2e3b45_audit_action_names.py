"""audit action names: one scheme, noun.verb

Audit actions were named two ways ("match.accepted" next to "approve_request"). The code now
writes ``noun.verb`` everywhere; stored rows get the new names so the audit log can be
filtered on one name per action. The renaming is one to one, so the downgrade restores the
old names exactly. Data only: the schema does not change.

Revision ID: 6c8f1d2e3b45
Revises: 7d9a2e3f4c56
Create Date: 2026-12-02 10:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c8f1d2e3b45'
down_revision = '7d9a2e3f4c56'
branch_labels = None
depends_on = None

#: Old action name -> new action name.
RENAMES = {
    'create_category': 'category.created',
    'update_category': 'category.updated',
    'create_neighbourhood': 'neighbourhood.created',
    'update_neighbourhood': 'neighbourhood.updated',
    'set_roles': 'account.roles_set',
    'create_resident': 'resident.created',
    'create_request': 'request.created',
    'update_request': 'request.updated',
    'cancel_request': 'request.cancelled',
    'approve_request': 'request.approved',
    'ask_for_info': 'request.info_requested',
    'reject_request': 'request.rejected',
    'escalate_request': 'request.escalated',
    'deescalate_request': 'request.deescalated',
    'close_escalated_request': 'request.escalation_closed',
    'staff_cancel_request': 'request.cancelled_by_staff',
    'change_category': 'request.category_changed',
    'view_personal_data': 'personal_data.viewed',
    'privacy.export': 'personal_data.exported',
    'privacy.purge': 'personal_data.purged',
    'vog_valid': 'volunteer.vog_marked_valid',
    'training_verified': 'volunteer.training_verified',
    'volunteer_verified': 'volunteer.verified',
    # Renamed in the code when rounds got their own package (2026-12-02).
    'match.round_created': 'round.created',
    'match.round_done': 'round.finished',
    'match.feedback': 'match.feedback_given',
}

audit_log = sa.table('audit_log', sa.column('action', sa.String(60)))


def _rename(pairs):
    for old, new in pairs:
        op.execute(audit_log.update().where(audit_log.c.action == old).values(action=new))


def upgrade():
    _rename(RENAMES.items())


def downgrade():
    _rename((new, old) for old, new in RENAMES.items())
