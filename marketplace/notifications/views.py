"""Views of the notifications feature: the list behind the bell, marking read, and the
choices at ``/account/notifications``.

The list is not marked read by opening it: a person marks what they have dealt with.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, has_request_context, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from marketplace import params
from marketplace.access import staff_required
from marketplace.conversations import services as conversations
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.notifications import phone, services
from marketplace.notifications.forms import MESSAGE_TEXT, chosen, preferences_form
from marketplace.notifications.texts import describe, visible_target
from marketplace.transaction import perform

# Two addresses: the list at /notifications, the choices under /account.
blueprint = Blueprint("notifications", __name__)
BELL_KEY = "hulppunt.notification_bell"


@blueprint.app_context_processor
def bell() -> dict[str, Any]:
    """The bell in every page's header: the unread count (one indexed count, only for a
    logged-in person) and its accessible name, "Meldingen, 3 nieuw"."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"notification_bell": None}
    # Once per request (partials render templates too); in the request's environ, since an
    # app context (``g``) may outlive one request.
    if BELL_KEY not in request.environ:
        request.environ[BELL_KEY] = _bell_of(current_user)
    return {"notification_bell": request.environ[BELL_KEY]}


def _bell_of(user: Any) -> dict[str, Any]:
    try:
        count = services.unread_count(user)
    except SQLAlchemyError:  # an error page after a failed transaction: no count, no 2nd error
        return {"count": 0, "label": _("Meldingen")}
    label = (ngettext("Meldingen, %(num)s nieuw", "Meldingen, %(num)s nieuw", count)
             if count else _("Meldingen, geen nieuwe"))
    return {"count": count, "label": label}


@blueprint.get("/notifications")
@login_required
def list_notifications() -> str:
    page = services.page_for(current_user, params.page_arg())
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
        to=_back(params.page_arg()) + f"#notification-{notification_id}",
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


def _save_preferences(form: Any, kinds: dict[Any, Any]) -> None:
    services.set_preferences(current_user, chosen(form, kinds))
    if MESSAGE_TEXT in form:
        conversations.set_include_text(current_user, bool(form[MESSAGE_TEXT].data))


@blueprint.route("/account/notifications", methods=["GET", "POST"])
@login_required
def edit_preferences() -> str | Response | tuple[str, int]:
    kinds = services.preferences(current_user)
    form = preferences_form(kinds, conversations.include_text(current_user))
    if form.validate_on_submit():
        return perform(
            lambda: _save_preferences(form, kinds),
            done=_("Uw keuzes voor berichten zijn opgeslagen."),
            to=url_for("notifications.edit_preferences"),
        )
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/preferences.html", form=form, kinds=kinds,
                           rules=services.RULES), status


@blueprint.post("/notifications/phone/<int:notification_id>")
@staff_required
def mark_phoned(notification_id: int) -> Response:
    """A coordinator phoned a resident about a notification (from the dashboard's list, or
    from the whole list with ``?terug=lijst``): back to where they were, with every
    neighbourhood's calls still shown when they were (``?bellen=alle``)."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    # Where to go back to; a value the buttons never send goes back to the plain list, without
    # a word about a filter the coordinator did not choose.
    back = ("staff.phone_calls" if params.choice_arg("terug", ("lijst",), message=None)
            else "staff.dashboard")
    everywhere = params.choice_arg("bellen", ("alle",), message=None)
    return perform(
        lambda: phone.mark_phoned(current_user, notification_id),
        done=_("Genoteerd: u heeft gebeld."),
        to=url_for(back, bellen=everywhere) + "#phone-heading",
    )
