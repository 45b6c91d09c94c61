"""Views of the notifications feature: the list behind the bell, marking read, and the
choices at ``/account/notifications``.

The list is not marked read by opening it: a person marks what they have dealt with.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from marketplace.fields import CsrfOnlyForm
from marketplace.notifications import services
from marketplace.notifications.forms import chosen, preferences_form
from marketplace.notifications.texts import describe, visible_target
from marketplace.transaction import perform

# Two addresses: the list at /notifications, the choices under /account.
blueprint = Blueprint("notifications", __name__)


@blueprint.get("/notifications")
@login_required
def list_notifications() -> str:
    page = services.page_for(current_user, request.args.get("page", 1, type=int) or 1)
    items = []
    for notification in page.items:
        words = describe(notification)
        target = visible_target(notification, current_user, words)
        items.append((notification, words, url_for(target[0], **target[1]) if target else None))
    return render_template(
        "notifications/list.html", page=page, items=items,
        unread=services.unread_count(current_user), form=CsrfOnlyForm(),
    )


def _back(page: int | None = None) -> str:
    return url_for("notifications.list_notifications", page=page if page and page > 1 else None)


@blueprint.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: services.mark_read(current_user, notification_id),
        done=_("De melding is gemarkeerd als gelezen."),
        to=_back(request.args.get("page", type=int)) + f"#notification-{notification_id}",
    )


@blueprint.post("/notifications/read")
@login_required
def mark_all_read() -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: services.mark_all_read(current_user),
        done=lambda count: ngettext("%(num)s melding gemarkeerd als gelezen.",
                                    "%(num)s meldingen gemarkeerd als gelezen.", count),
        to=_back(),
    )


@blueprint.route("/account/notifications", methods=["GET", "POST"])
@login_required
def edit_preferences() -> str | Response | tuple[str, int]:
    kinds = services.preferences(current_user)
    form = preferences_form(kinds)
    if form.validate_on_submit():
        return perform(
            lambda: services.set_preferences(current_user, chosen(form, kinds)),
            done=_("Uw keuzes voor berichten zijn opgeslagen."),
            to=url_for("notifications.edit_preferences"),
        )
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/preferences.html", form=form, kinds=kinds,
                           rules=services.RULES), status
