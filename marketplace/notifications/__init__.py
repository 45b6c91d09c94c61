"""Notifications: what people hear about, in the bell, by e-mail or by phone.

The public API: :func:`notify` writes one (in the caller's transaction),
:func:`render_notification` gives its e-mail and :func:`build_email` renders any
notification-style e-mail (the weekly digest) in the recipient's language.
"""

from marketplace.notifications.delivery import build_email, render_notification
from marketplace.notifications.services import notify

__all__ = ["build_email", "notify", "render_notification"]
