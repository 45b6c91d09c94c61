"""contact sharing: which contact details each person shares; phone numbers in E.164

Each person chooses whether the other side of an accepted pairing sees their phone number
and their e-mail address (both shared unless they choose otherwise, as before). Phone
numbers are now checked and stored in E.164 ("+31612345678"); numbers stored before that
are rewritten when they are valid Dutch or international numbers, and left as they are
otherwise (they are still shown as typed). The downgrade drops the two choices and keeps
the numbers in E.164, which the older code shows as they are.

Revision ID: 8a1b2c3d4e01
Revises: 6c8f1d2e3b45
Create Date: 2026-12-02 13:30:00

"""
from alembic import op
import phonenumbers
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a1b2c3d4e01'
down_revision = '6c8f1d2e3b45'
branch_labels = None
depends_on = None


def _e164(stored):
    try:
        number = phonenumbers.parse(stored, 'NL')
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_phone', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('share_email', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))

    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('phone', sa.String))
    rows = connection.execute(sa.select(users.c.id, users.c.phone)
                              .where(users.c.phone.is_not(None))).all()
    for user_id, phone in rows:
        normalised = _e164(phone)
        if normalised is not None and normalised != phone:
            connection.execute(users.update().where(users.c.id == user_id)
                               .values(phone=normalised))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('share_email')
        batch_op.drop_column('share_phone')
