"""Views of the concerns feature: report a concern, and the staff's queue."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from marketplace import params
from marketplace.access import staff_required
from marketplace.concerns import services
from marketplace.concerns.forms import ConcernForm
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import ConcernStatus, HelpRequest, Neighbourhood
from marketplace.transaction import commit, perform, submit

blueprint = Blueprint("concerns", __name__, url_prefix="/concerns")

LINK_IGNORED = _l("Deze link klopt niet helemaal. Kies hieronder zelf waar het over gaat.")


def _phone() -> str:
    return str(current_app.config["MELDPUNT_PHONE"])


def _concern_form() -> ConcernForm:
    user = current_user._get_current_object()
    form = ConcernForm()
    form.about.choices = [SelectChoice("", _("Nee, niet over een bepaalde hulpvraag"))]
    form.about.choices += [
        SelectChoice(f"r{item.id}", _("Mijn hulpvraag: %(title)s", title=item.title))
        for item in services.own_requests(user)
    ]
    form.about.choices += [
        SelectChoice(
            f"m{match.id}", _("Mijn hulp bij: %(title)s", title=match.help_request.title)
        )
        for match in services.own_matches(user)
    ]
    form.about.choices += [
        SelectChoice(
            f"m{match.id}", _("Het gesprek over: %(title)s", title=match.help_request.title)
        )
        for match in services.conversation_matches(user)
    ]
    if request.method == "GET":
        # A link from a request or match page chooses it; a wrong number chooses nothing.
        if (help_request_id := params.int_arg("request", message=LINK_IGNORED)) is not None:
            form.about.data = f"r{help_request_id}"
        elif (match_id := params.int_arg("match", message=LINK_IGNORED)) is not None:
            form.about.data = f"m{match_id}"
    return form


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_concern():  # type: ignore[no-untyped-def]
    """Residents and volunteers tell the meldpunt about a worry; staff call them back."""
    form = _concern_form()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("concerns/new.html", form=form, phone=_phone()), status
    help_request_id, match_id = form.linked_ids()
    reporter = current_user._get_current_object()
    # A refusal (NotFound included: the link is not theirs) is shown on the "about" field.
    return submit(
        lambda: services.create_concern(
            reporter, form.message.data or "", help_request_id, match_id
        ),
        form, field="about",
        done=_("Dank u wel. Een medewerker neemt contact met u op."), to=url_for("pages.home"),
    ) or (render_template("concerns/new.html", form=form, phone=_phone()), 400)


def _neighbourhood_filter(neighbourhoods: list[Neighbourhood]) -> int | None:
    """The neighbourhood to show (None: every one) from ``?wijk=<id>`` or "all" (the parameter
    keeps its Dutch name: bookmarks); by default the coordinator's own."""
    known = {item.id for item in neighbourhoods}
    own = current_user.neighbourhood_id
    return params.id_arg("wijk", known, default=own if own in known else None)


@blueprint.get("/")
@staff_required
def list_concerns():  # type: ignore[no-untyped-def]
    """The coordinators' queue. The meldpunt is central: every neighbourhood is visible, the
    coordinator's own is the default filter."""
    neighbourhoods = list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))
    neighbourhood_id = _neighbourhood_filter(neighbourhoods)
    status_arg = params.choice_arg(
        "status", [*(status.value for status in ConcernStatus), params.ALL],
        default=ConcernStatus.OPEN.value,
    )
    status = ConcernStatus(status_arg) if status_arg not in (None, params.ALL) else None
    concerns = services.list_concerns(neighbourhood_id, status)
    return render_template(
        "concerns/list.html",
        concerns=concerns,
        neighbourhoods=neighbourhoods,
        names={item.id: item.name for item in neighbourhoods},
        selected_neighbourhood=params.ALL if neighbourhood_id is None else str(neighbourhood_id),
        status=status.value if status else params.ALL,
        statuses=list(ConcernStatus),
        total=services.count_concerns(),
        own_neighbourhood_id=current_user.neighbourhood_id,
    )


@blueprint.get("/<int:concern_id>")
@staff_required
def view_concern(concern_id: int):  # type: ignore[no-untyped-def]
    """One concern with the reporter's contact details; the view is audited."""
    concern = services.view_concern(concern_id, current_user._get_current_object())
    help_request = (
        db.session.get(HelpRequest, concern.help_request_id) if concern.help_request_id else None
    )
    neighbourhood = (
        db.session.get(Neighbourhood, concern.neighbourhood_id)
        if concern.neighbourhood_id
        else None
    )
    page = render_template(
        "concerns/detail.html",
        concern=concern,
        help_request=help_request,
        neighbourhood=neighbourhood,
        form=CsrfOnlyForm(),
    )
    commit()  # the audited view is saved; rendered first so nothing reloads
    return page


@blueprint.post("/<int:concern_id>/handle")
@staff_required
def handle_concern(concern_id: int):  # type: ignore[no-untyped-def]
    form = CsrfOnlyForm()
    if not form.validate_on_submit():
        abort(400)
    return perform(
        lambda: services.handle_concern(concern_id, current_user._get_current_object()),
        done=_("De melding is afgehandeld."), to=url_for("concerns.list_concerns"),
    )
