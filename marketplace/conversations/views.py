"""The conversation of an accepted match: read it, write in it (``/matches/<id>/messages``).

The URL lives under the match; the blueprint is its own feature (``conversations``).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from marketplace import access
from marketplace.conversations import services
from marketplace.conversations.forms import MessageForm
from marketplace.errors import NotFound
from marketplace.i18n import gettext as _
from marketplace.models import Match
from marketplace.transaction import commit, submit

blueprint = Blueprint("conversations", __name__, url_prefix="/matches")


def _back(match: Match, as_staff: bool) -> tuple[str, str]:
    """(url, text) of the page the viewer came from: the concerns, the match, or (for a
    referrer or the desk, who do not see the match page) the request."""
    if as_staff:
        return url_for("concerns.list_concerns"), _("Terug naar de zorgmeldingen")
    if access.can_view_match(current_user, match):
        return url_for("matches.show_match", match_id=match.id), _("Terug naar de hulp")
    return (url_for("requests.show_request", request_id=match.help_request_id),
            _("Terug naar de aanvraag"))


def _page(match_id: int, form: MessageForm, status: int = 200) -> tuple[str, int]:
    """Render the conversation for the current user (404 for anyone who may not read it)
    and commit what opening it wrote (read marks, a coordinator's audit entry)."""
    try:
        conversation = services.open_conversation(current_user._get_current_object(), match_id)
    except NotFound:
        abort(404)
    match = conversation.match
    back_url, back_text = _back(match, conversation.as_staff)
    page = render_template(
        "conversations/show.html",
        conversation=conversation, match=match, help_request=match.help_request, form=form,
        back_url=back_url, back_text=back_text,
    )
    commit()
    return page, status


@blueprint.route("/<int:match_id>/messages", methods=["GET", "POST"])
@login_required
def show_conversation(match_id: int) -> Response | tuple[str, int]:
    """The conversation, and (POST) a new message in it."""
    form = MessageForm()
    if request.method == "GET":
        return _page(match_id, form)
    if form.validate_on_submit() and (sent := submit(
        lambda: services.post_message(current_user._get_current_object(), match_id,
                                      form.body.data or ""),
        form, field="body",
        done=_("Uw bericht is verstuurd."),
        to=url_for("conversations.show_conversation", match_id=match_id, _anchor="nieuw"),
    )):
        return sent
    return _page(match_id, form, 400)


blueprint.add_app_template_global(services.unread_count, "unread_messages")
blueprint.add_app_template_global(access.can_read_conversation, "can_read_conversation")
