"""One-click unsubscribe from the weekly overview (RFC 8058), without logging in.

The weekly e-mail with the overview of open requests carries ``List-Unsubscribe: <url>``
and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``. A mail program POSTs to that
address; a person who clicks the link gets a page with one button that POSTs the same. A
POST switches off only the overview (the kind ``digest``) for the user the signed token
names; a GET changes nothing (link checkers and virus scanners follow links). The POST is
exempt from CSRF: the token is the proof, and a mail program has no session.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from werkzeug.wrappers import Response

from marketplace.extensions import csrf
from marketplace.notifications import digest
from marketplace.transaction import commit

blueprint = Blueprint("unsubscribe", __name__, url_prefix="/unsubscribe")


@blueprint.get("/<token>")
def confirm(token: str) -> tuple[str, int]:
    user = digest.user_for_token(token)
    if user is None:
        return render_template("unsubscribe/invalid.html"), 404
    return render_template("unsubscribe/confirm.html", token=token,
                           subscribed=digest.wants_overview(user)), 200


@blueprint.post("/<token>")
@csrf.exempt
def unsubscribe(token: str) -> tuple[str, int] | Response:
    user = digest.user_for_token(token)
    if user is None:
        return render_template("unsubscribe/invalid.html"), 404
    digest.switch_off(user)
    commit()
    return render_template("unsubscribe/done.html"), 200
